package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerBenchTest {
    @Test
    void printsARowPerSizeWithPScaWithinBranchAndBoundsCertifiedGap() {
        CliRunner result = CliRunner.execute("bench", "planner", "--instances", "2", "--sizes", "3,6");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String[]> rows = result.out().lines().filter(line -> line.matches("\\| \\d+ \\|.*"))
                .map(line -> line.substring(2, line.length() - 2).split(" \\| ")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[0]).isEqualTo("3");
        assertThat(rows.get(1)[0]).isEqualTo("6");
        for (String[] row : rows) {
            assertThat(Long.parseLong(row[2])).as("B&B nodes").isPositive();
            assertThat(Integer.parseInt(row[4])).as("P-SCA iterations").isPositive();
            // B&B certifies its value within planner.relative_gap (1e-4) of the optimum, so P-SCA cannot be
            // better than that, and on these instances it is no worse than a few per cent.
            for (int gap = 5; gap <= 6; gap++) {
                assertThat(Double.parseDouble(row[gap])).isBetween(-2e-4, 0.05);
            }
        }
        assertThat(result.out()).contains("machine: ");

        CliRunner bad = CliRunner.execute("bench", "planner", "--sizes", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.hasStackTrace()).isFalse();
        bad = CliRunner.execute("bench", "planner", "--cells", "3", "--threads", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.hasStackTrace()).isFalse();
    }

    /** Above 100 devices only P-SCA runs; the cells row plans every cell and reports the round. */
    @Test
    void largeCellsRunPScaAloneAndTheCellsRowPlansEveryCell() {
        CliRunner result = CliRunner.execute("bench", "planner", "--instances", "1", "--sizes", "120",
                "--cells", "4", "--cell-size", "8", "--threads", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        String large = result.out().lines().filter(line -> line.startsWith("| 120 |")).findFirst().orElseThrow();
        String[] row = large.substring(2, large.length() - 2).split(" \\| ");
        assertThat(row[1]).isEqualTo("—");
        assertThat(Integer.parseInt(row[4])).as("P-SCA iterations").isPositive();
        String cells = result.out().lines().filter(line -> line.startsWith("| 32 | 4 |")).findFirst().orElseThrow();
        String[] cellRow = cells.substring(2, cells.length() - 2).split(" \\| ");
        assertThat(Double.parseDouble(cellRow[2])).as("round 0 ms").isPositive();
        // Each round lasts at least as long as its slowest cell, so their medians over the rounds keep that order.
        assertThat(Double.parseDouble(cellRow[3])).as("warm round ms").isGreaterThanOrEqualTo(Double.parseDouble(cellRow[4]));
        assertThat(Integer.parseInt(cellRow[5])).as("cold iterations").isPositive();
        assertThat(Integer.parseInt(cellRow[6])).as("warm iterations").isPositive();
    }
}
