package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;

import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.run.Planners;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock's windows: the same files as a clock that steps through one time and depth at a time, every
 * actor's events in order, and a handful of windows per round whatever the number of devices.
 */
class WindowsTest {
    private static final List<String> FILES = List.of(RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES,
            RunFiles.SUMMARY, "report.html");
    /** Two cells, mobility, noisy estimates, Bernoulli masks: misses, refusals and reports at odd times. */
    private static final String[] WIRELESS = {"devices.count=30", "network.bandwidth_hz=15e6", "rounds=5",
            "dropout.mask=bernoulli", "budgets.latency_s=123", "channel.coherence_s=2",
            "mobility.model=random-waypoint", "mobility.speed_mps=2", "csi.model=noisy",
            "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 300, y_m: 0}]", "topology.association=strongest"};
    /**
     * Learning in cohorts of three on fast processors: some downloads end after other devices' computations,
     * so which devices train together depends on the order of download ends and computation ends.
     */
    private static final String[] INTERLEAVED_COHORTS = {"data.workload=synthetic", "training.cohort=3",
            "devices.flops_per_cycle=30000", "devices.cpu_min_hz=1e9", "devices.count=12", "rounds=3",
            "planner.solver=fixed", "network.aggregation_time_s=0"};

    @TempDir
    Path temp;

    private Path run(String name, LoadedScenario loaded, int threads, Clock.Synchronisation how) throws Exception {
        Path directory = temp.resolve(name);
        Files.createDirectories(directory);
        ScenarioRun.execute(loaded, directory, threads, RunProgress.NONE, Simulation.Host.local(threads).with(how));
        return directory;
    }

    private void assertSameFiles(String what, LoadedScenario loaded) throws Exception {
        Path stepped = run(what + "-steps", loaded, 1, Clock.Synchronisation.STEPS);
        Path windows = run(what + "-windows", loaded, 4, Clock.Synchronisation.WINDOWS);
        Path windowsOne = run(what + "-windows-one", loaded, 1, Clock.Synchronisation.WINDOWS);
        for (String file : FILES) {
            byte[] expected = Files.readAllBytes(stepped.resolve(file));
            assertThat(Files.readAllBytes(windows.resolve(file))).as(what + " " + file).isEqualTo(expected);
            assertThat(Files.readAllBytes(windowsOne.resolve(file))).as(what + " " + file).isEqualTo(expected);
        }
    }

    @Test
    void windowsWriteTheFilesOfOneStepPerTimeAndDepth() throws Exception {
        assertSameFiles("wireless", TestScenarios.quickstart(WIRELESS));
        assertSameFiles("fleet", TestScenarios.load("fleet.yaml", "rounds=4", "data.workload=none"));
    }

    @Test
    void cohortsFormAsWhenStepping() throws Exception {
        LoadedScenario loaded = TestScenarios.quickstart(INTERLEAVED_COHORTS);
        assertSameFiles("cohorts", loaded);
        // The case the clock's cohort horizon is for: a download ends after another device's computation.
        RunFixture fixture = new RunFixture(temp.resolve("cohorts-steps"));
        Map<Integer, List<EventRecord>> byRound = new HashMap<>();
        for (EventRecord event : fixture.events()) {
            byRound.computeIfAbsent(event.round(), r -> new ArrayList<>()).add(event);
        }
        assertThat(byRound.values()).anySatisfy(events -> {
            long lastDownload = events.stream().filter(e -> e.type() == EventType.DOWNLOAD_END)
                    .mapToLong(EventRecord::timeNs).max().orElseThrow();
            long firstCompute = events.stream().filter(e -> e.type() == EventType.COMPUTE_END)
                    .mapToLong(EventRecord::timeNs).min().orElseThrow();
            assertThat(lastDownload).isGreaterThan(firstCompute);
        });
    }

    /** Every event each actor handled, in the order it handled them, and the number of windows. */
    private static final class PerActor implements Clock.Trace {
        final Map<String, List<ScheduledEvent>> handled = new HashMap<>();
        int windows;

        @Override
        public void start(List<ScheduledEvent> initial) {
        }

        @Override
        public synchronized void window(List<Clock.Handled> events) {
            windows++;
            for (Clock.Handled each : events) {
                handled.computeIfAbsent(each.event().target(), id -> new ArrayList<>()).add(each.event());
            }
        }
    }

    private PerActor traced(String name, LoadedScenario loaded) throws Exception {
        PerActor trace = new PerActor();
        RunSetup setup = RunSetup.of(loaded);
        Path directory = temp.resolve(name);
        Files.createDirectories(directory);
        Simulation.run(setup, Planners.of(setup), directory, 4, RunProgress.NONE, trace);
        return trace;
    }

    @Test
    void noActorIsGivenAnEventEarlierThanOneItHandled() throws Exception {
        for (String[] scenario : List.of(WIRELESS, INTERLEAVED_COHORTS)) {
            PerActor trace = traced("order-" + scenario.length, TestScenarios.quickstart(scenario));
            assertThat(trace.handled).containsKeys(ActorIds.BASE_STATION, ActorIds.CHANNEL, ActorIds.PLANNER,
                    ActorIds.device(0));
            trace.handled.forEach((actor, events) -> {
                for (int i = 1; i < events.size(); i++) {
                    assertThat(ScheduledEvent.ORDER.compare(events.get(i - 1), events.get(i)))
                            .as("%s: %s then %s", actor, events.get(i - 1), events.get(i)).isNegative();
                }
            });
        }
    }

    @Test
    void windowsPerRoundDoNotGrowWithTheNumberOfDevices() throws Exception {
        int rounds = 4;
        int[] windows = new int[2];
        int[] events = new int[2];
        int[] devices = {10, 200};
        for (int i = 0; i < 2; i++) {
            PerActor trace = traced("scale-" + devices[i], TestScenarios.quickstart("devices.count=" + devices[i],
                    "network.bandwidth_hz=" + devices[i] * 1e6, "rounds=" + rounds));
            windows[i] = trace.windows;
            events[i] = trace.handled.values().stream().mapToInt(List::size).sum();
        }
        assertThat(events[1]).isGreaterThan(15 * events[0]);
        // Five windows for a round's start (sounding, planning), then the devices' and the base station's: a
        // twentieth as many devices may save a window in a round where every computation ends early.
        assertThat(windows[1]).isLessThanOrEqualTo(12 * rounds).isBetween(windows[0], windows[0] + rounds);
    }
}
