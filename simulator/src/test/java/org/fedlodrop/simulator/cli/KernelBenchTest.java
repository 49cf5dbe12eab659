package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelBenchTest {
    @Test
    void printsTheActorKernelTheLoopOnItsEventsAndALearningRow() {
        CliRunner result = CliRunner.execute("bench", "kernel", "--devices", "20", "--rounds", "3", "--repeat", "1",
                "--learning-devices", "4", "--learning-rounds", "2", "--threads", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = result.out().lines().filter(line -> line.startsWith("| actor") || line.startsWith("| sequential"))
                .toList();
        assertThat(rows).hasSize(3);
        // The loop replays exactly the actor kernel's events and steps.
        assertThat(cells(rows.get(1))[2]).isEqualTo(cells(rows.get(0))[2]);
        assertThat(cells(rows.get(1))[3]).isEqualTo(cells(rows.get(0))[3]);
        assertThat(rows.get(2)).startsWith("| actor kernel with learning (synthetic workload, 4 devices, 2 rounds) |");
        long learningEvents = Long.parseLong(cells(rows.get(2))[2]);
        long learningSteps = Long.parseLong(cells(rows.get(2))[3]);
        // A download, a computation and an upload per device and round at least; steps are counted too.
        assertThat(learningEvents).isGreaterThanOrEqualTo(4 * 2 * 3);
        assertThat(learningSteps).isPositive();

        CliRunner bad = CliRunner.execute("bench", "kernel", "--learning-devices", "-1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--learning-devices must be at least 0");
        assertThat(bad.hasStackTrace()).isFalse();
    }

    private static String[] cells(String row) {
        return java.util.Arrays.stream(row.split("\\|")).map(String::trim).toArray(String[]::new);
    }
}
