package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `bench scale` prints a row per size and member count; event counts, never timings, are asserted. */
class ScaleBenchTest {
    @Test
    void printsOneRowPerSizeWithEventsProportionalToDevices() {
        CliRunner result = CliRunner.execute("bench", "scale", "--sizes", "20,40", "--rounds", "2", "--threads", "2",
                "--members", "1,2", "--learning-sizes", "6");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = result.out().lines().filter(line -> line.matches("\\| [0-9,]+ \\|.*")).toList();
        assertThat(rows).hasSize(4);
        // A learning row per member count: the same events on one member and on two.
        List<String> learning = result.out().lines().filter(line -> line.startsWith("| 6 learning |")).toList();
        assertThat(learning).hasSize(2);
        assertThat(events(learning.get(1))).isEqualTo(events(learning.get(0))).isGreaterThanOrEqualTo(6 * 2 * 3);
        // Sharded over two members, the same scenario goes through the same events.
        assertThat(events(rows.get(2))).isEqualTo(events(rows.get(0)));
        assertThat(events(rows.get(3))).isEqualTo(events(rows.get(1)));
        assertThat(result.out()).contains("2 members (devices sharded");
        long small = events(rows.get(0));
        long large = events(rows.get(1));
        // Every device goes through the same round protocol, so twice the devices give about twice the events.
        assertThat(large).isBetween(2 * small - 20, 2 * small + 20);
        assertThat(rows.get(0)).startsWith("| 20 |");
        CliRunner bad = CliRunner.execute("bench", "scale", "--sizes", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        CliRunner badLearning = CliRunner.execute("bench", "scale", "--learning-sizes", "-3");
        assertThat(badLearning.exitCode()).isEqualTo(2);
        assertThat(badLearning.err()).contains("--learning-sizes");
    }

    private static long events(String row) {
        return Long.parseLong(Arrays.stream(row.split("\\|")).map(String::trim).toList().get(2).replace(",", ""));
    }

    /** A run that fails under load gets a row saying why and counts as failed; the rows go on. */
    @Test
    void aFailedRunIsARowThatSaysWhy() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter out = new java.io.PrintWriter(text);
        int failed = ScaleBench.row(out, "", 1_000_000, () -> {
            throw new org.fedlodrop.simulator.actors.Simulation.RunFailedException(
                    "cluster member 127.0.0.1:1 became unreachable during a sharded run", null);
        });
        assertThat(failed).isEqualTo(1);
        assertThat(text.toString()).startsWith("| 1,000,000 | the run failed: cluster member 127.0.0.1:1 became unreachable");
    }
}
