package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlodrop.models.family.transformer.PretrainedBase;
import org.fedlodrop.models.family.transformer.BaseCheckpointReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** make-text and pretrain: same seed, same bytes; the checkpoint is a base a scenario can use; bad flags exit 2. */
class PretrainCommandTest {
    @TempDir
    Path temp;

    @Test
    void pretrainingIsDeterministicAndItsCheckpointServesAScenario() throws Exception {
        Path source = temp.resolve("restaurants.tsv");
        Path target = temp.resolve("movies.tsv");
        assertThat(CliRunner.execute("make-text", "--domain", "restaurants", "--samples", "200", "--out", source.toString())
                .exitCode()).isZero();
        assertThat(CliRunner.execute("make-text", "--samples", "120", "--seed", "2", "--out", target.toString()).exitCode())
                .isZero();
        String[] common = {"pretrain", "--train", source.toString(), "--vocabulary-from", target.toString(), "--width", "8",
            "--heads", "2", "--feed-forward", "16", "--blocks", "1", "--epochs", "2", "--quiet", "--out"};
        CliRunner first = CliRunner.execute(concat(common, temp.resolve("a.safetensors").toString()));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("width 8, 1 blocks, 2 heads");
        CliRunner second = CliRunner.execute(concat(common, temp.resolve("b.safetensors").toString()));
        assertThat(second.exitCode()).isZero();
        assertThat(Files.readAllBytes(temp.resolve("b.safetensors"))).isEqualTo(Files.readAllBytes(temp.resolve("a.safetensors")));

        PretrainedBase base = BaseCheckpointReader.read(temp.resolve("a.safetensors"));
        assertThat(base.shape().width()).isEqualTo(8);
        // Words only the target file has are in the vocabulary too.
        assertThat(base.vocabulary().tokens()).contains("film", "pasta");

        Path scenario = temp.resolve("s.yaml");
        Files.writeString(scenario, "rounds: 1\ndevices:\n  count: 2\ndata:\n  workload: text-classification\n"
                + "  train_file: movies.tsv\n  test_file: movies.tsv\n  samples_per_device: 10\n  test_samples: 20\n"
                + "model:\n  family: transformer\n  rank: 2\n  checkpoint: a.safetensors\nplanner:\n  solver: fixed\n"
                + "dropout:\n  rate: 0.3\nbudgets:\n  latency_s: 130\n  energy_j: 110\n");
        CliRunner run = CliRunner.execute("run", scenario.toString(), "--out", temp.resolve("run").toString(), "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(temp.resolve("run").resolve("manifest.json"))).contains("a.safetensors");
    }

    @Test
    void badOptionsAreRefusedWithoutTouchingExistingFiles() throws Exception {
        Path source = temp.resolve("src.tsv");
        Files.writeString(source, "sentence\tlabel\ngood\t1\nbad\t0\n");
        Path existing = temp.resolve("exists.safetensors");
        Files.writeString(existing, "keep me");
        CliRunner overwrite = CliRunner.execute("pretrain", "--train", source.toString(), "--out", existing.toString());
        assertThat(overwrite.exitCode()).isEqualTo(2);
        assertThat(overwrite.err()).contains("the file exists");
        assertThat(Files.readString(existing)).isEqualTo("keep me");

        CliRunner heads = CliRunner.execute("pretrain", "--train", source.toString(), "--width", "10", "--heads", "4",
                "--out", temp.resolve("x.safetensors").toString());
        assertThat(heads.err()).contains("--heads 4: expected a divisor of --width 10");

        Files.writeString(temp.resolve("one.tsv"), "sentence\tlabel\ngood\t1\nfine\t1\n");
        CliRunner oneLabel = CliRunner.execute("pretrain", "--train", temp.resolve("one.tsv").toString(),
                "--out", temp.resolve("y.safetensors").toString());
        assertThat(oneLabel.err()).contains("expected at least 2 distinct labels");

        CliRunner domain = CliRunner.execute("make-text", "--domain", "books", "--out", temp.resolve("z.tsv").toString());
        assertThat(domain.err()).contains("--domain books: expected movies or restaurants");
        for (CliRunner r : new CliRunner[] {overwrite, heads, oneLabel, domain}) {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.hasStackTrace()).as(r.err()).isFalse();
        }
        assertThat(temp.resolve("x.safetensors")).doesNotExist();
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }
}
