package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelBenchTest {
    @Test
    void printsWindowsStepsTheLoopOnTheSameEventsAndLearningRows() {
        CliRunner result = CliRunner.execute("bench", "kernel", "--devices", "20", "--rounds", "3", "--repeat", "1",
                "--learning-devices", "4", "--learning-rounds", "2", "--threads", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = result.out().lines().filter(line -> line.startsWith("| actor") || line.startsWith("| sequential"))
                .toList();
        assertThat(rows).hasSize(5);
        String[] windows = cells(rows.get(0));
        String[] steps = cells(rows.get(1));
        String[] loop = cells(rows.get(2));
        assertThat(windows[1]).startsWith("actor kernel, windows");
        assertThat(steps[1]).startsWith("actor kernel, one step per time and depth");
        // The same events both ways (the loop replays the events recorded, so its count is the same by construction
        // and not checked); a download, a computation and an upload per device and round at least; windows take
        // far fewer steps than one per time and depth.
        assertThat(steps[2]).isEqualTo(windows[2]);
        assertThat(Long.parseLong(windows[2])).isGreaterThanOrEqualTo(20 * 3 * 3);
        assertThat(loop[1]).startsWith("sequential priority-queue loop");
        assertThat(Long.parseLong(windows[3])).isPositive().isLessThan(Long.parseLong(steps[3]) / 3);
        assertThat(Double.parseDouble(windows[4])).isLessThanOrEqualTo(12);
        assertThat(rows.get(3)).startsWith("| actor kernel with learning, windows (synthetic workload, 4 devices, 2 rounds) |");
        assertThat(rows.get(4)).startsWith("| actor kernel with learning, one step per time and depth (synthetic workload, 4 devices, 2 rounds) |");
        long learningEvents = Long.parseLong(cells(rows.get(3))[2]);
        // A download, a computation and an upload per device and round at least; steps are counted too.
        assertThat(learningEvents).isGreaterThanOrEqualTo(4 * 2 * 3);
        assertThat(cells(rows.get(4))[2]).isEqualTo(cells(rows.get(3))[2]);
        assertThat(Long.parseLong(cells(rows.get(3))[3])).isPositive();

        // Pekko's messages alone: the windows' deliveries replayed with empty handlers, for the same events and
        // windows. A device is woken at least once a round (its sub-adapter arrives) and at most once per event.
        String[] floor = cells(result.out().lines().filter(line -> line.startsWith("| Pekko messages alone")).findFirst()
                .orElseThrow());
        java.util.regex.Matcher deliveries = java.util.regex.Pattern.compile("windows row's (\\d+) deliveries").matcher(floor[1]);
        assertThat(deliveries.find()).as(floor[1]).isTrue();
        assertThat(Long.parseLong(deliveries.group(1))).isBetween(20L * 3, Long.parseLong(windows[2]));
        assertThat(floor[2]).isEqualTo(windows[2]);
        assertThat(floor[3]).isEqualTo(windows[3]);
        assertThat(Double.parseDouble(floor[6])).isPositive();
        assertThat(result.out()).containsPattern("Pekko's messages alone take [0-9]+ % of the windows row's time \\([0-9.]+ µs a"
                + " message\\)");

        // The spelling row: the doubles of the windows run's files (every device row has a dozen and more).
        java.util.regex.Matcher spelled = found(result.out(), "\\| spelling the windows run's (\\d+) doubles alone"
                + " \\((\\d+) distinct; one core, the files' own cache\\) \\| \\| \\| \\| ([0-9.]+) \\| \\|");
        assertThat(Long.parseLong(spelled.group(1))).isGreaterThanOrEqualTo(20L * 3 * 12);
        assertThat(Long.parseLong(spelled.group(2))).isPositive().isLessThanOrEqualTo(Long.parseLong(spelled.group(1)));
        assertThat(result.out()).containsPattern("spelling the files' doubles alone takes [0-9]+ % of the windows row's time,"
                + " on one core of 2");
        // The files written again from the run's records (the rewrite checks that the bytes are the run's).
        java.util.regex.Matcher rewritten = found(result.out(), "\\| writing the windows run's files again from its (\\d+)"
                + " records \\(one thread, the same bytes\\) \\| \\| \\| \\| ([0-9.]+) \\| \\|");
        // At least a download, a computation and an upload event and a device row per device and round.
        assertThat(Long.parseLong(rewritten.group(1))).isGreaterThanOrEqualTo(20L * 3 * 4);
        assertThat(result.out()).containsPattern("writing the files alone takes [0-9]+ % of the windows row's time,"
                + " on one core of 2");

        CliRunner bad = CliRunner.execute("bench", "kernel", "--learning-devices", "-1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--learning-devices must be at least 0");
        assertThat(bad.hasStackTrace()).isFalse();
    }

    /** The first match of {@code regex} in {@code out}, which must have one. */
    private static java.util.regex.Matcher found(String out, String regex) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(regex).matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return matcher;
    }

    private static String[] cells(String row) {
        return java.util.Arrays.stream(row.split("\\|")).map(String::trim).toArray(String[]::new);
    }

    /**
     * The SimPy model runs every round (the script refuses to report otherwise) and its row counts its
     * events: four per device and round, two per round. CI installs python3-simpy (.ci/run).
     */
    @Test
    void againstSimPyAddsTheModelsRowAndTheRatio() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                org.fedlodrop.simulator.bench.SimPyKernelBench.findPython().isPresent(), "no python3 with SimPy 2");
        CliRunner result = CliRunner.execute("bench", "kernel", "--devices", "20", "--rounds", "3", "--repeat", "2",
                "--learning-devices", "0", "--threads", "2", "--against-simpy");
        assertThat(result.exitCode()).as(result.err()).isZero();
        String row = result.out().lines().filter(line -> line.startsWith("| SimPy ")).findFirst().orElseThrow();
        String[] simpy = cells(row);
        assertThat(simpy[1]).contains("4 runs before and after");
        assertThat(Long.parseLong(simpy[2])).isEqualTo(4L * 20 * 3 + 2 * 3);
        assertThat(Double.parseDouble(simpy[6])).isPositive();
        assertThat(result.out()).containsPattern("actor kernel with windows against the SimPy model: [0-9.]+ times its events"
                + " per second, [0-9.]+ times its speed on the same 60 device-rounds");
        assertThat(result.out()).containsPattern("twice the SimPy model's events per second needs the windows row in [0-9.]+ s;"
                + " spelling its files' doubles alone takes [0-9.]+ s of one core \\([0-9]+ % of that\\)");
        assertThat(result.out()).containsPattern("writing its files alone takes [0-9.]+ s of one core \\([0-9]+ % of that\\)");
    }

    @Test
    void aSimPyModelThatStopsEarlyOrSaysNothingIsAnError() throws Exception {
        assertThat(org.fedlodrop.simulator.bench.SimPyKernelBench.parse("warning\n")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.fedlodrop.simulator.bench.SimPyKernelBench.parse(
                "{\"error\": \"the model stopped early at t = 3\"}")).hasMessageContaining("stopped early");
        var measured = org.fedlodrop.simulator.bench.SimPyKernelBench.parse(
                "{\"events\": 126, \"seconds\": [0.5, 0.25, 1.0], \"median_s\": 0.5, \"simpy\": \"2.3.1\"}").orElseThrow();
        assertThat(measured.events()).isEqualTo(126);
        assertThat(measured.seconds()).containsExactly(0.5, 0.25, 1.0);
        assertThat(measured.eventsPerSecond()).isEqualTo(252.0);
    }
}
