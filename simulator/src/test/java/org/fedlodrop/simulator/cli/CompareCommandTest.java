package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.stream.Stream;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.reports.study.StudyTable;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.study.SignFlip;
import org.fedlodrop.simulator.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare: one scenario under several planners with the same seeds, one table, one report. */
class CompareCommandTest {
    @TempDir
    Path temp;

    @Test
    void comparesPlannersOverTheSameSeedsInOneTable() throws Exception {
        Path out = temp.resolve("cmp");
        CliRunner result = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--planners", "psca,uniform",
                "--seeds", "2", "--set", "rounds=2", "--out", out.toString(), "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("compare quickstart: 2 planners × 2 seeds",
                "| planner.solver | rounds | runs | participation |", "| psca | 2 | 2 |", "| uniform | 2 | 2 |");
        StudyTable table = StudyTables.read(out.resolve(StudyRunner.RESULTS));
        assertThat(table.rows()).hasSize(2).allSatisfy(row -> assertThat(row.runs()).isEqualTo(2));
        int gamma = table.metrics().indexOf("run_mean_gamma");
        // uniform gives every device dropout.rate; psca chooses its own.
        assertThat(table.rows().get(1).intervals().get(gamma).mean()).isEqualTo(0.5);
        assertThat(table.rows().get(0).intervals().get(gamma).mean()).isNotEqualTo(0.5);
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("p000-seed2").resolve("summary.json")).exists();
        // psca against uniform, paired over the two seeds, from the runs' own summaries (cost only: no learning).
        assertThat(result.out()).contains("paired over seeds: psca minus each other row", "| against | participation |"
                + " total_energy_j |", "| uniform | ");
        List<String> paired = java.nio.file.Files.readAllLines(out.resolve("paired.csv"));
        assertThat(paired.get(0)).isEqualTo("reference,against,metric,seeds,mean_difference,ci95,seeds_reference_better,"
                + "sign_flip_p");
        double[] difference = new double[2];
        for (int seed = 1; seed <= 2; seed++) {
            difference[seed - 1] = participation(out.resolve("p000-seed" + seed)) - participation(out.resolve("p001-seed" + seed));
        }
        String[] line = paired.get(1).split(",");
        assertThat(line).startsWith("psca", "uniform", "participation", "2");
        assertThat(Double.parseDouble(line[4])).isCloseTo((difference[0] + difference[1]) / 2, within(1e-12));
        // Two seeds: 0.5 if both differ on one side, 1 if they cancel or one is level.
        assertThat(Double.parseDouble(line[7])).isEqualTo(SignFlip.twoSidedP(difference));
        assertThat(result.out()).contains("with 2 seeds no sign-flip p can fall below 0.5; --seeds 6 or more");
        assertThat(result.out()).containsPattern("\\| uniform \\| .*\\[[0-2]/2, p (0\\.5|1)\\]");
        assertThat(paired).hasSize(3).noneMatch(l -> l.contains("final_test_loss"));
    }

    private static double participation(Path run) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("summary.json").toFile())
                .get("participation").asDouble();
    }

    /**
     * The frozen-head and centralised arms beside the planners: the same seeds and data; only the head trains in
     * the first, so its LoRA factors leave every run as they started; the second sends nothing. Rerun, the
     * results are the same bytes.
     */
    @Test
    void theReferenceArmsRunBesideThePlannersOnTheSameSeeds() throws Exception {
        String[] arguments = {"compare", TestScenarios.quickstart().toString(), "--planners", "psca", "--arms",
            "frozen-head,centralised", "--seeds", "2", "--set", "rounds=2", "--set", "data.workload=synthetic", "-q"};
        Path out = temp.resolve("arms");
        CliRunner result = CliRunner.execute(concat(arguments, "--out", out.toString()));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("compare quickstart: 1 planners and frozen-head, centralised × 2 seeds",
                "| planner.solver | training.train_lora | training.arm |", "| psca | true | federated |",
                "| psca | false | federated |", "| psca | true | centralised |",
                "reference arms: the rows with training.arm other than federated");
        StudyTable table = StudyTables.read(out.resolve(StudyRunner.RESULTS));
        assertThat(table.rows()).hasSize(3);
        int energy = table.metrics().indexOf("total_energy_j");
        assertThat(table.rows().get(0).intervals().get(energy).mean()).isPositive();
        assertThat(table.rows().get(2).intervals().get(energy).mean()).isZero();
        int accuracy = table.metrics().indexOf("final_test_accuracy");
        assertThat(table.rows().get(1).intervals().get(accuracy).mean()).isBetween(0.0, 1.0);
        // Only the head trained: the saved LoRA B factors are still zero, as LoRA starts.
        SafeTensors.Contents model = SafeTensors.read(out.resolve("p001-seed1").resolve("model.safetensors"));
        assertThat(model.tensors().get("layers.0.lora_B").data()).containsOnly(0f);
        SafeTensors.Contents tuned = SafeTensors.read(out.resolve("p000-seed1").resolve("model.safetensors"));
        assertThat(tuned.tensors().get("layers.0.lora_B").data()).isNotEqualTo(
                model.tensors().get("layers.0.lora_B").data());

        Path again = temp.resolve("arms-again");
        assertThat(CliRunner.execute(concat(arguments, "--out", again.toString())).exitCode()).isZero();
        assertThat(Files.readAllBytes(again.resolve(StudyRunner.RESULTS)))
                .isEqualTo(Files.readAllBytes(out.resolve(StudyRunner.RESULTS)));
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void armsThatDoNotApplyAreBadInput() {
        CliRunner costOnly = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--arms", "frozen-head",
                "--out", temp.resolve("c").toString());
        assertThat(costOnly.exitCode()).isEqualTo(2);
        assertThat(costOnly.err()).contains("--arms frozen-head:", "has data.workload none");
        assertThat(temp.resolve("c")).doesNotExist();
        CliRunner unknown = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--arms", "oracle",
                "--out", temp.resolve("d").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--arms oracle: expected one of frozen-head, centralised, bag-of-words");
        CliRunner noTexts = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--arms", "bag-of-words",
                "--set", "data.workload=synthetic", "--out", temp.resolve("e").toString());
        assertThat(noTexts.exitCode()).isEqualTo(2);
        assertThat(noTexts.err()).contains("--arms bag-of-words:", "has data.workload synthetic");
        assertThat(noTexts.hasStackTrace()).isFalse();
        assertThat(temp.resolve("e")).doesNotExist();
    }

    @Test
    void anUnknownPlannerOrABadOverrideIsBadInput() {
        CliRunner planner = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--planners", "psca,nope",
                "--out", temp.resolve("a").toString());
        assertThat(planner.exitCode()).isEqualTo(2);
        assertThat(planner.err()).contains("--planners nope: expected one of bnb, psca, no-dropout, fixed, uniform, random");
        CliRunner override = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--set", "rounds=0",
                "--out", temp.resolve("b").toString());
        assertThat(override.exitCode()).isEqualTo(2);
        assertThat(override.hasStackTrace()).isFalse();
        assertThat(temp.resolve("b")).doesNotExist();
        CliRunner threads = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--threads", "0",
                "--out", temp.resolve("c").toString());
        assertThat(threads.exitCode()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads 0: expected 1 to 256");
        assertThat(threads.hasStackTrace()).isFalse();
        assertThat(temp.resolve("c")).doesNotExist();
    }
}
