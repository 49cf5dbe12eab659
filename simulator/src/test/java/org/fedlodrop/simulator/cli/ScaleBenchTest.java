package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `bench scale` prints a row per size whose event count grows with the devices; no timing is asserted. */
class ScaleBenchTest {
    @Test
    void printsOneRowPerSizeWithEventsProportionalToDevices() {
        CliRunner result = CliRunner.execute("bench", "scale", "--sizes", "20,40", "--rounds", "2", "--threads", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = result.out().lines().filter(line -> line.matches("\\| [0-9,]+ \\|.*")).toList();
        assertThat(rows).hasSize(2);
        long small = events(rows.get(0));
        long large = events(rows.get(1));
        // Every device goes through the same round protocol, so twice the devices give about twice the events.
        assertThat(large).isBetween(2 * small - 20, 2 * small + 20);
        assertThat(rows.get(0)).startsWith("| 20 |");
        CliRunner bad = CliRunner.execute("bench", "scale", "--sizes", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    private static long events(String row) {
        return Long.parseLong(Arrays.stream(row.split("\\|")).map(String::trim).toList().get(2).replace(",", ""));
    }
}
