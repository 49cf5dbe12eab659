package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainBenchTest {
    @Test
    void printsAThroughputRowForEachJobAskedFor() {
        CliRunner result = CliRunner.execute("bench", "train", "--no-simulate", "--jobs", "synthetic");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String[]> rows = result.out().lines().filter(line -> line.startsWith("| synthetic"))
                .map(row -> row.substring(2, row.length() - 2).split(" \\| ")).toList();
        // One row per engine: the java engine, ND4J, and the java engine with a cohort of devices stacked.
        assertThat(rows.stream().map(cells -> cells[4])).containsExactly("java (auto)", "nd4j", "java, 8 devices together");
        for (String[] cells : rows) {
            assertThat(cells[1]).isEqualTo("mlp [32, 64, 64]");
            assertThat(Double.parseDouble(cells[5])).as("samples per second").isPositive();
        }
        assertThat(result.out()).doesNotContain("| mlp512", "| text");

        CliRunner bad = CliRunner.execute("bench", "train", "--no-simulate", "--jobs", "bert-large");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("bert-large", "synthetic, mlp128");
        assertThat(bad.hasStackTrace()).isFalse();
    }
}
