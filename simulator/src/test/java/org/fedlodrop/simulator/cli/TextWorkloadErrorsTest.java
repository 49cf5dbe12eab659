package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad text-classification inputs (files, columns, labels, checkpoints, family) are reported with the
 * file, the line or field, and what was expected; exit code 2; no stack trace; nothing run.
 */
class TextWorkloadErrorsTest {
    @TempDir
    Path temp;

    private CliRunner validate(String extra) throws Exception {
        Path scenario = temp.resolve("s.yaml");
        Files.writeString(scenario, "data:\n  workload: text-classification\n  train_file: train.tsv\n  test_file: test.tsv\n"
                + "  samples_per_device: 2\nmodel:\n  family: transformer\n  rank: 2\n  transformer:\n    width: 8\n"
                + "    heads: 2\n" + extra);
        return CliRunner.execute("validate", scenario.toString());
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(temp.resolve(name), content);
    }

    private void goodFiles() throws Exception {
        StringBuilder train = new StringBuilder("sentence\tlabel\n");
        for (int i = 0; i < 20; i++) {
            train.append("text number ").append(i).append('\t').append(i % 2).append('\n');
        }
        write("train.tsv", train.toString());
        write("test.tsv", "sentence\tlabel\ngood\t1\nbad\t0\n");
    }

    @Test
    void goodFilesValidateAndAreMadeAbsolute() throws Exception {
        goodFiles();
        CliRunner result = validate("");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("train_file: " + temp.resolve("train.tsv").toAbsolutePath());
    }

    @Test
    void badFilesAreLocated() throws Exception {
        goodFiles();
        write("test.tsv", "sentence\tlabel\ngood\t1\nodd\t7\n");
        CliRunner unknownLabel = validate("");
        assertThat(unknownLabel.exitCode()).isEqualTo(2);
        assertThat(unknownLabel.err()).contains(temp.resolve("test.tsv") + ":3: label '7' never occurs in the training file");

        write("test.tsv", "sentence\tlabel\ngood\n");
        CliRunner shortRow = validate("");
        assertThat(shortRow.err()).contains(temp.resolve("test.tsv") + ":2: expected at least 2 tab-separated fields, got 1 (data.test_file)");

        goodFiles();
        Files.writeString(temp.resolve("s2.yaml"), "data:\n  workload: text-classification\n  train_file: train.tsv\n"
                + "  test_file: test.tsv\n  text_column: review\n  samples_per_device: 2\nmodel:\n  family: transformer\n");
        CliRunner noColumn = CliRunner.execute("validate", temp.resolve("s2.yaml").toString());
        assertThat(noColumn.exitCode()).isEqualTo(2);
        assertThat(noColumn.err()).contains(temp.resolve("train.tsv") + ":1: no text column \"review\" in the header");

        CliRunner tooFew = CliRunner.execute("validate", temp.resolve("s2.yaml").toString(), "--set", "data.text_column=sentence",
                "--set", "data.samples_per_device=5");
        assertThat(tooFew.err()).contains("data.samples_per_device: the training file").contains("has 20 texts");

        Files.delete(temp.resolve("train.tsv"));
        CliRunner missing = validate("");
        assertThat(missing.err()).contains(temp.resolve("train.tsv") + ": cannot read the file");
        for (CliRunner r : new CliRunner[] {unknownLabel, shortRow, noColumn, tooFew, missing}) {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.hasStackTrace()).as(r.err()).isFalse();
        }
    }

    @Test
    void badCheckpointsAndFamiliesAreExplained() throws Exception {
        goodFiles();
        write("base.safetensors", "not a checkpoint at all");
        CliRunner garbage = validate("  checkpoint: base.safetensors\n");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains(temp.resolve("base.safetensors") + ": not a readable safetensors file");

        CliRunner absent = validate("  checkpoint: nowhere.safetensors\n");
        assertThat(absent.err()).contains("nowhere.safetensors: no such checkpoint file (model.checkpoint); make one with fedlodrop pretrain");

        CliRunner mlp = CliRunner.execute("validate", temp.resolve("s.yaml").toString(), "--set", "model.family=mlp");
        assertThat(mlp.err()).contains("model.family: data.workload: text-classification needs a family that learns it"
                + " (transformer, bert), got mlp", "model.transformer: unknown field in 'model'");

        CliRunner heads = CliRunner.execute("validate", temp.resolve("s.yaml").toString(), "--set", "model.transformer.heads=3");
        assertThat(heads.err()).contains("model.transformer.heads: expected a divisor of model.transformer.width (8), got 3");

        CliRunner projection = CliRunner.execute("validate", temp.resolve("s.yaml").toString(), "--set", "model.adapted=[query, gate]");
        assertThat(projection.err()).contains("model.adapted[1]: expected one of query, key, value, output, ff-in, ff-out");
        for (CliRunner r : new CliRunner[] {garbage, absent, mlp, heads, projection}) {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.hasStackTrace()).as(r.err()).isFalse();
        }
    }
}
