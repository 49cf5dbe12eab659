package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** table --paired on a study directory written here, against hand-computed differences, intervals and p-values. */
class TablePairedTest {
    @TempDir
    Path temp;

    /**
     * Point 0 against 1 over seeds 1 to 3: accuracy differences 0.10, 0.01, 0.04 (mean 0.05, sd 0.0458, t(2) 4.303:
     * ± 0.114; all three positive: p = 2/8); loss differences −0.1, +0.1, −0.2 (lower is better: ahead in two;
     * mean −0.0667 ± 0.380; |±1 ±1 ±2| ≥ 2 in 6 of 8 patterns: p = 0.75). Point 2 ran seeds 1 and 2 only.
     */
    @Test
    void pairsOnePointWithEveryOtherOverTheSeedsBothRan() throws Exception {
        Path study = study();
        CliRunner result = CliRunner.execute("table", study.toString(), "--paired", "0");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("| planner.solver | runs | test_accuracy | test_loss |",
                "paired over seeds: 0 (psca) minus each other row",
                "| against | test_accuracy | test_loss |",
                "| fixed | +0.05 ± 0.11 [3/3, p 0.25] | -0.0667 ± 0.38 [2/3, p 0.75] |",
                // Seeds 1 and 2: accuracy +0.20 and +0.02 (p = 2/4), loss −0.2 and 0 (one level: p 1).
                "| random | +0.11 ± 1.1 [2/2, p 0.5] | -0.1 ± 1.3 [1/2, p 1] |",
                "better: lower for test_loss; higher for the others");

        CliRunner chosen = CliRunner.execute("table", study.toString(), "--paired", "2", "--metrics", "test_accuracy");
        assertThat(chosen.exitCode()).as(chosen.err()).isZero();
        assertThat(chosen.out()).contains("paired over seeds: 2 (random) minus each other row",
                "| against | test_accuracy |" + System.lineSeparator(), "| psca | -0.11 ± 1.1 [0/2, p 0.5] |",
                "better: higher, for every metric here");
    }

    @Test
    void badPairingsAreLocatedAndPrintNothing() throws Exception {
        Path study = study();
        assertRejected(new String[] {"table", study.toString(), "--paired", "5"},
                "--paired 5: " + study.resolve("results.csv") + " has no such point; expected one of [0, 1, 2]");
        assertRejected(new String[] {"table", study.toString(), "--paired", "0", "--metrics", "test_acuracy"},
                "--metrics: " + study.resolve("journal.jsonl") + " holds no metric test_acuracy; expected one of"
                        + " [test_accuracy, test_loss]");
        assertRejected(new String[] {"table", study.toString(), "--metrics", "test_loss"}, "give --paired POINT too");
        assertRejected(new String[] {"table", study.toString(), "--paired", "0", "--curves"},
                "it does not go with --curves");
        Files.delete(study.resolve("journal.jsonl"));
        assertRejected(new String[] {"table", study.toString(), "--paired", "0"},
                "--paired: no journal.jsonl in " + study);
    }

    private static void assertRejected(String[] arguments, String message) {
        CliRunner result = CliRunner.execute(arguments);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message).doesNotContain("Exception");
        assertThat(result.out()).isEmpty();
    }

    private Path study() throws Exception {
        Path study = temp.resolve("study");
        Files.createDirectories(study);
        // The means and intervals of results.csv are not what --paired reads; the journal is.
        Files.writeString(study.resolve("results.csv"), """
                point,planner.solver,runs,test_accuracy_mean,test_accuracy_ci95,test_loss_mean,test_loss_ci95
                0,psca,3,0.72,0.05,0.6,0.25
                1,fixed,3,0.67,0.14,0.67,0.37
                2,random,2,0.61,0.13,0.7,0.1
                """);
        StringBuilder journal = new StringBuilder();
        double[][] accuracy = {{0.70, 0.72, 0.74}, {0.60, 0.71, 0.70}, {0.50, 0.70}};
        double[][] loss = {{0.5, 0.6, 0.7}, {0.6, 0.5, 0.9}, {0.7, 0.6}};
        for (int point = 0; point < 3; point++) {
            for (int seed = 1; seed <= accuracy[point].length; seed++) {
                journal.append(String.format("{\"point\":%d,\"seed\":%d,\"metrics\":{\"test_accuracy\":%s,\"test_loss\":%s}}%n",
                        point, seed, accuracy[point][seed - 1], loss[point][seed - 1]));
            }
        }
        Files.writeString(study.resolve("journal.jsonl"), journal);
        return study;
    }
}
