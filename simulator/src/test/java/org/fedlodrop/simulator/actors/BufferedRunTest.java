package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Buffered asynchronous aggregation (FedBuff, docs/buffered.md) run by the actors. */
class BufferedRunTest {
    private static final String ASYNC = "federation={mode: buffered, buffer_size: 3, concurrency: 8, staleness: polynomial, "
            + "staleness_a: 0.5}";

    @TempDir
    Path temp;

    /**
     * A buffer of every device, every device in flight and s ≡ 1 is a synchronous run: the same rounds, aggregation,
     * summary and model, byte for byte, and devices.csv the same but for its three columns of jobs; under exact
     * aggregation the W0 change each device downloads and the planner provisions is the synchronous round's too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"exact", "masked-mean", "zero-fill-mean"})
    void aBufferOfTheWholeFleetIsTheSynchronousRun(String rule) throws Exception {
        String[] sync = RunFixture.append(RunFixture.LEARNING, "dropout.aggregation=" + rule);
        RunFixture rounds = RunFixture.run(temp.resolve("sync-" + rule), 2, sync);
        RunFixture buffered = RunFixture.run(temp.resolve("buffered-" + rule), 2,
                RunFixture.append(sync, "federation={mode: buffered, buffer_size: 10, concurrency: 0, staleness: constant}"));
        for (String file : List.of(RunFiles.ROUNDS, RunFiles.AGGREGATION, RunFiles.SUMMARY, RunFiles.MODEL)) {
            assertThat(buffered.bytes(file)).as(rule + " " + file).isEqualTo(rounds.bytes(file));
        }
        String jobs = new String(buffered.bytes(RunFiles.DEVICES), StandardCharsets.UTF_8).lines()
                .map(line -> line.substring(0, nthComma(line, 28))).collect(Collectors.joining("\n", "", "\n"));
        assertThat(jobs).isEqualTo(new String(rounds.bytes(RunFiles.DEVICES), StandardCharsets.UTF_8));
        assertThat(rounds.rounds()).allMatch(r -> r.devicesAggregated() > 0);
    }

    /**
     * A real buffer on a heterogeneous fleet whose phones come and go, with noisy CSI: every update's staleness is its
     * step less the step it started from, never more than eight jobs are in flight, no cell's jobs hold more than its
     * band at any instant, devices that go offline leave their jobs, and the bytes are the same on one and four threads.
     */
    @Test
    void jobsRespectConcurrencyAndBandAndTheRunIsDeterministic() throws Exception {
        String[] scenario = {"rounds=12", "csi.model=noisy", ASYNC};
        RunFixture one = RunFixture.runScenario(temp.resolve("fleet-one"), "fleet.yaml", 1, scenario);
        RunFixture four = RunFixture.runScenario(temp.resolve("fleet-four"), "fleet.yaml", 4, scenario);
        for (String file : List.of(RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.MODEL, RunFiles.SUMMARY)) {
            assertThat(four.bytes(file)).as(file).isEqualTo(one.bytes(file));
        }
        List<String[]> jobs = new String(one.bytes(RunFiles.DEVICES), StandardCharsets.UTF_8).lines().skip(1)
                .map(line -> line.split(",")).toList();
        double band = 10e6;
        boolean stale = false;
        for (String[] job : jobs) {
            int round = Integer.parseInt(job[0]);
            int step = Integer.parseInt(job[28]);
            int staleness = Integer.parseInt(job[29]);
            boolean aggregated = job[23].equals("aggregated");
            assertThat(staleness).isEqualTo(aggregated ? step - round : -1);
            stale |= staleness > 0;
            double start = Double.parseDouble(job[30]);
            // At this job's start: the jobs in flight (started no later, not yet ended) and the band of its cell.
            long flying = 0;
            double held = 0;
            for (String[] other : jobs) {
                double from = Double.parseDouble(other[30]);
                double to = from + Double.parseDouble(other[19]);
                // A job that ended at this instant (to within the rounding of its times) has freed its slot.
                if (from <= start && start < to - 1e-6) {
                    flying++;
                    if (other[2].equals(job[2])) {
                        held += Double.parseDouble(other[7]);
                    }
                }
            }
            assertThat(flying).isLessThanOrEqualTo(8);
            assertThat(held).isLessThanOrEqualTo(band * (1 + 1e-9));
        }
        assertThat(stale).as("some updates arrive after a step they did not start from").isTrue();
        // The report's Gantt chart of a step shows the jobs that ended before it, each from its own start.
        org.fedlodrop.reports.html.RunReport.write(one.directory(), new org.fedlodrop.reports.html.RunReport.Budgets(400, 150), 2);
        assertThat(new String(one.bytes("plots/gantt.svg"), StandardCharsets.UTF_8))
                .contains("Step 2: each job that ended before it", "until it started");
        assertThat(jobs).anyMatch(job -> job[23].equals(DeviceOutcome.OFFLINE.label()));
        List<RoundRecord> steps = one.rounds();
        assertThat(steps).hasSize(12);
        // aggregation.csv's rows are by step, as rounds.csv's, not by the instants at which jobs started.
        java.util.Set<Integer> aggregated = new String(one.bytes(RunFiles.AGGREGATION), StandardCharsets.UTF_8).lines()
                .skip(1).map(line -> Integer.parseInt(line.substring(0, line.indexOf(',')))).collect(Collectors.toSet());
        assertThat(aggregated).isEqualTo(steps.stream().filter(step -> step.devicesAggregated() > 0)
                .map(RoundRecord::round).collect(Collectors.toSet()));
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i).startS()).isEqualTo(steps.get(i - 1).endS());
        }
    }

    /**
     * Three devices that are offline three periods in four on average: when nobody is online and nothing is in
     * flight the server waits for the next period instead of stepping with nothing, so every step applies or
     * records some job, and steps do not pile up at one instant.
     */
    @Test
    void whenEveryDeviceIsOfflineTheServerWaitsForTheNextPeriod() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("away"), 2, "rounds=12", "devices.count=3",
                "devices.mean_online_rounds=1", "devices.mean_offline_rounds=3", "dropout.aggregation=masked-mean",
                "federation={mode: buffered, buffer_size: 2}");
        List<RoundRecord> steps = run.rounds();
        assertThat(steps).hasSize(12).allMatch(step -> step.devicesScheduled() > 0);
        // Some period had nobody online: a step began after a gap longer than a job's budget and the aggregation.
        assertThat(steps).anyMatch(step -> step.latencyS() > 123 + 0.05 + 1e-6);
    }

    /**
     * Exact aggregation with stale updates (docs/buffered.md): W0 changes at every step, a device downloads the changes
     * of the steps since it last started (factored, several steps concatenated), and the planner provisions for them.
     */
    @Test
    void exactAggregationFoldsW0AtEveryStepAndDevicesDownloadWhatTheyMissed() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("exact"), 2, RunFixture.append(RunFixture.LEARNING, "rounds=8",
                "federation={mode: buffered, buffer_size: 4, concurrency: 6}"));
        List<String[]> jobs = new String(run.bytes(RunFiles.DEVICES), StandardCharsets.UTF_8).lines().skip(1)
                .map(line -> line.split(",")).toList();
        assertThat(jobs).anyMatch(job -> Integer.parseInt(job[29]) > 0); // some updates were stale
        assertThat(run.rounds()).allMatch(r -> Double.isFinite(r.testLoss()));
        String events = new String(run.bytes(RunFiles.EVENTS), StandardCharsets.UTF_8);
        assertThat(events).contains("\"residual_bits\"");
        // A device that missed several steps downloads more than one step's change.
        java.util.Set<Double> residuals = events.lines().filter(l -> l.contains("\"residual_bits\""))
                .map(l -> Double.parseDouble(l.replaceAll(".*\"residual_bits\":([0-9.E]+).*", "$1")))
                .collect(Collectors.toSet());
        assertThat(residuals).hasSizeGreaterThan(1);
    }

    /** Every planner plans the jobs that start, in the band the others leave. */
    @ParameterizedTest
    @ValueSource(strings = {"bnb", "psca", "fixed", "uniform", "random", "no-dropout"})
    void everyPlannerPlansBufferedJobs(String solver) throws Exception {
        RunFixture run = RunFixture.runScenario(temp.resolve(solver), "fleet.yaml", 2, "rounds=4",
                "planner.solver=" + solver, ASYNC);
        assertThat(run.rounds()).hasSize(4);
        assertThat(run.rounds().stream().mapToInt(RoundRecord::devicesAggregated).sum()).isPositive();
    }

    private static int nthComma(String line, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = line.indexOf(',', at + 1);
        }
        return at;
    }
}
