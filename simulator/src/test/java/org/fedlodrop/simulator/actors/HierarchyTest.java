package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.CellRoundRecord;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.TopologyRecord;
import org.fedlodrop.reports.html.RunReport;
import org.fedlodrop.simulator.kernel.VirtualTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cells that aggregate on their own and merge in the cloud over a backhaul (docs/hierarchy.md). */
class HierarchyTest {
    private static final String THREE_CELLS = "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}, {x_m: 0, y_m: 400}]";
    /** Free links: no latency, capacity beyond any payload. */
    private static final String FREE = "topology.backhaul={cloud_every: 1, links: [{from: cell-0, to: cloud, latency_s: 0, "
            + "capacity_bps: 1e300}, {from: cell-1, to: cloud, latency_s: 0, capacity_bps: 1e300}, {from: cell-2, to: cloud, "
            + "latency_s: 0, capacity_bps: 1e300}]}";
    /** cell-0 and cell-1 share a router's uplink; cell-2 has a slow link of its own. */
    private static final String ROUTED = "links: [{from: cell-0, to: router, latency_s: 0.01, capacity_bps: 1e9}, "
            + "{from: cell-1, to: router, latency_s: 0.02, capacity_bps: 2e8}, {from: router, to: cloud, latency_s: 0.01, "
            + "capacity_bps: 1e9}, {from: cell-2, to: cloud, latency_s: 0.05, capacity_bps: 1e8}]";
    private static final List<String> SAME = List.of(RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.AGGREGATION,
            RunFiles.SUMMARY, RunFiles.MODEL);

    @TempDir
    Path temp;

    /**
     * With a merge every round over free links, a run is today's flat run: the same rows, model and summary, and
     * the same event log but for the backhaul's own lines; under each built-in rule, on a heterogeneous fleet with
     * offline devices and planned rates.
     */
    @ParameterizedTest
    @ValueSource(strings = {"exact", "masked-mean", "zero-fill-mean"})
    void mergingEveryRoundOverFreeLinksIsTheFlatRun(String rule) throws Exception {
        String[] common = {"rounds=5", THREE_CELLS, "dropout.aggregation=" + rule};
        RunFixture flat = RunFixture.runScenario(temp.resolve("flat-" + rule), "fleet.yaml", 2, common);
        RunFixture merged = RunFixture.runScenario(temp.resolve("merged-" + rule), "fleet.yaml", 2,
                append(common, FREE));
        for (String file : SAME) {
            assertThat(merged.bytes(file)).as(rule + " " + file).isEqualTo(flat.bytes(file));
        }
        assertThat(withoutBackhaul(merged)).isEqualTo(new String(flat.bytes(RunFiles.EVENTS), StandardCharsets.UTF_8));
        // topology.json gains the backhaul's links for the viewer's map, and is otherwise the same.
        TopologyRecord flatTopology = topology(flat);
        TopologyRecord mergedTopology = topology(merged);
        assertThat(mergedTopology.cells()).isEqualTo(flatTopology.cells());
        assertThat(mergedTopology.devices()).isEqualTo(flatTopology.devices());
        assertThat(mergedTopology.backhaul()).hasSize(3);
        assertThat(flatTopology.backhaul()).isEmpty();
        // The run is not trivial: devices offline, cells learning, every round merged.
        assertThat(flat.devices()).extracting(DeviceRoundRecord::outcome).contains(DeviceOutcome.OFFLINE);
        List<CellRoundRecord> cells = cells(merged);
        assertThat(cells).hasSize(5 * 3).allMatch(CellRoundRecord::merged);
        assertThat(cells).allMatch(c -> c.testAccuracy() > 0);
        assertPerCellSumsMatchTheRound(merged, cells);
    }

    /**
     * A merge every second round over routed links: the devices' deadline leaves the backhaul its time out and
     * back, the merge waits for the slowest cell (cell-2: 0.05 s plus its model over 100 Mb/s), and the cells'
     * weights are the samples they aggregated since the merge before.
     */
    @Test
    void mergeRoundsReserveTheBackhaulsTimeAndWeighCellsByTheirData() throws Exception {
        RunFixture run = RunFixture.runScenario(temp.resolve("routed"), "fleet.yaml", 2, "rounds=5", THREE_CELLS,
                "topology.backhaul={cloud_every: 2, " + ROUTED + "}");
        List<EventRecord> events = run.events();
        List<RoundRecord> rounds = run.rounds();
        List<CellRoundRecord> cells = cells(run);
        double bits = ((Number) events.stream().filter(e -> e.type() == EventType.BACKHAUL_START).findFirst().orElseThrow()
                .payload().get("payload_bits")).doubleValue();
        double slowest = bits / 1e8 + 0.05;
        long half = VirtualTime.nanos(slowest);
        long budget = VirtualTime.nanos(400);
        for (RoundRecord round : rounds) {
            boolean merges = round.round() % 2 == 1 || round.round() == 4;
            long start = VirtualTime.nanos(round.startS());
            EventRecord begin = event(events, EventType.ROUND_START, round.round());
            long deadline = ((Number) begin.payload().get("deadline_ns")).longValue();
            assertThat(deadline - start).as("round " + round.round()).isEqualTo(merges ? budget - 2 * half : budget);
            long aggregated = event(events, EventType.AGGREGATION_START, round.round()).timeNs() + VirtualTime.nanos(0.05);
            long end = event(events, EventType.ROUND_END, round.round()).timeNs();
            assertThat(end - aggregated).as("round " + round.round()).isEqualTo(merges ? 2 * half : 0);
            List<CellRoundRecord> mine = cells.stream().filter(c -> c.round() == round.round()).toList();
            assertThat(mine).extracting(CellRoundRecord::merged).containsOnly(merges);
            if (merges) {
                assertThat(event(events, EventType.CLOUD_MERGE, round.round()).timeNs()).isEqualTo(aggregated + half);
                assertThat(mine.get(2).backhaulUpS()).isCloseTo(slowest, org.assertj.core.api.Assertions.within(1e-12));
                for (CellRoundRecord cell : mine) {
                    // Since the merge before: this round and, after a round without a merge, the one before.
                    long since = cells.stream().filter(c -> c.cell() == cell.cell() && c.round() <= round.round()
                            && c.round() > lastMergeBefore(round.round())).mapToLong(CellRoundRecord::samples).sum();
                    assertThat(cell.weight()).isEqualTo((double) since);
                }
            }
        }
        // Every device that was aggregated finished by its round's deadline.
        for (DeviceRoundRecord device : run.devices()) {
            if (device.outcome() == DeviceOutcome.AGGREGATED) {
                RoundRecord round = rounds.get(device.round());
                long deadline = ((Number) event(events, EventType.ROUND_START, device.round()).payload().get("deadline_ns")).longValue();
                double finished = device.tDlS() + device.tCmpS() + device.tUlS();
                assertThat(VirtualTime.nanos(round.startS() + finished)).isLessThanOrEqualTo(deadline + 10);
            }
        }
        // The cloud's model changes at merges only: round 2 reports round 1's.
        assertThat(rounds.get(2).testAccuracy()).isEqualTo(rounds.get(1).testAccuracy());
        assertThat(rounds.get(0).testLoss()).isNotEqualTo(rounds.get(1).testLoss());
        assertPerCellSumsMatchTheRound(run, cells);
        // The report: each cell's accuracy beside the cloud's, and a merge round's Gantt chart with the backhaul.
        RunReport.write(run.directory(), new RunReport.Budgets(400, 150), 1);
        assertThat(run.directory().resolve("plots/cells.svg")).exists();
        assertThat(new String(run.bytes("plots/gantt.svg"), StandardCharsets.UTF_8)).contains("cell 2 ↔ cloud",
                "backhaul up", "waiting for the merge");
    }

    private static TopologyRecord topology(RunFixture run) throws Exception {
        return org.fedlodrop.reports.io.RunFormats.jsonDocument().readValue(run.bytes(RunFiles.TOPOLOGY), TopologyRecord.class);
    }

    /** Every planner plans around the backhaul, with imperfect CSI; and the bytes are the same on one and four threads. */
    @ParameterizedTest
    @ValueSource(strings = {"bnb", "psca", "fixed", "uniform", "random", "no-dropout"})
    void everyPlannerRunsWithABackhaulAndImperfectCsiTheSameOnAnyNumberOfThreads(String solver) throws Exception {
        String[] scenario = {"rounds=3", THREE_CELLS, "planner.solver=" + solver, "csi.model=noisy",
                "topology.backhaul={cloud_every: 2, " + ROUTED + "}"};
        RunFixture one = RunFixture.runScenario(temp.resolve(solver + "-one"), "fleet.yaml", 1, scenario);
        RunFixture four = RunFixture.runScenario(temp.resolve(solver + "-four"), "fleet.yaml", 4, scenario);
        for (String file : List.of(RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.CELLS, RunFiles.MODEL,
                RunFiles.SUMMARY)) {
            assertThat(four.bytes(file)).as(solver + " " + file).isEqualTo(one.bytes(file));
        }
        assertThat(cells(one)).hasSize(9);
        assertThat(one.rounds()).allMatch(r -> r.devicesAggregated() > 0);
    }

    private static int lastMergeBefore(int round) {
        for (int r = round - 1; r >= 0; r--) {
            if (r % 2 == 1) {
                return r;
            }
        }
        return -1;
    }

    private static void assertPerCellSumsMatchTheRound(RunFixture run, List<CellRoundRecord> cells) throws Exception {
        Map<Integer, Integer> aggregated = cells.stream().collect(Collectors.groupingBy(CellRoundRecord::round,
                Collectors.summingInt(CellRoundRecord::aggregated)));
        Map<Integer, Double> energy = cells.stream().collect(Collectors.groupingBy(CellRoundRecord::round,
                Collectors.summingDouble(CellRoundRecord::energyJ)));
        for (RoundRecord round : run.rounds()) {
            assertThat(aggregated.get(round.round())).isEqualTo(round.devicesAggregated());
            assertThat(energy.get(round.round())).isCloseTo(round.energyJ(), org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    private static EventRecord event(List<EventRecord> events, EventType type, int round) {
        return events.stream().filter(e -> e.type() == type && e.round() == round).findFirst().orElseThrow();
    }

    private static List<CellRoundRecord> cells(RunFixture run) throws Exception {
        return RunTables.readCsv(run.directory().resolve(RunFiles.CELLS), CellRoundRecord.class);
    }

    private static String withoutBackhaul(RunFixture run) throws Exception {
        return new String(run.bytes(RunFiles.EVENTS), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.contains("\"type\":\"backhaul_start\"") && !line.contains("\"type\":\"cloud_merge\""))
                .map(line -> line + "\n").collect(Collectors.joining());
    }

    private static String[] append(String[] values, String value) {
        String[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = value;
        return all;
    }
}
