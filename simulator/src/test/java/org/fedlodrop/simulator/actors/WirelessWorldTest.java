package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.setup.RunSetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.TopologyRecord;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-cell topology, traces, mobility, coherence blocks and imperfect CSI, through whole runs. */
class WirelessWorldTest {
    private static final String TWO_CELLS = "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 500, y_m: 0}]";

    @TempDir
    Path temp;

    @Test
    void devicesAssociateAsConfiguredAndEachCellKeepsItsBand() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("nearest"), 2, TWO_CELLS, "devices.count=30", "rounds=3",
                "topology.association=nearest");
        TopologyRecord topology = RunTables.readJson(run.directory().resolve(RunFiles.TOPOLOGY), TopologyRecord.class);
        assertThat(topology.cells()).hasSize(2);
        for (TopologyRecord.DeviceEntry device : topology.devices()) {
            double toFirst = Math.hypot(device.xM(), device.yM());
            double toSecond = Math.hypot(device.xM() - 500, device.yM());
            assertThat(device.cell()).isEqualTo(toFirst <= toSecond ? 0 : 1);
        }
        assertThat(topology.devices()).extracting(TopologyRecord.DeviceEntry::cell).contains(0, 1);
        Map<String, Double> bandPerCellAndRound = run.devices().stream().collect(Collectors.groupingBy(
                d -> d.round() + "/" + d.cell(), Collectors.summingDouble(DeviceRoundRecord::bandwidthHz)));
        assertThat(bandPerCellAndRound).hasSize(6);
        assertThat(bandPerCellAndRound.values()).allSatisfy(sum -> assertThat(sum).isCloseTo(10e6, within(1e-3)));
        for (DeviceRoundRecord row : run.devices()) {
            assertThat(row.cell()).isEqualTo(topology.devices().get(row.device()).cell());
        }
    }

    @Test
    void strongestAssociationFollowsTheMeanGainNotTheDistance() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("strongest"), 2, TWO_CELLS, "devices.count=60", "rounds=1",
                "topology.association=strongest", "topology.cell_radius_m=400", "channel.shadowing_db=10");
        TopologyRecord topology = RunTables.readJson(run.directory().resolve(RunFiles.TOPOLOGY), TopologyRecord.class);
        long farther = topology.devices().stream().filter(d -> {
            double own = Math.hypot(d.xM() - topology.cells().get(d.cell()).xM(), d.yM());
            double other = Math.hypot(d.xM() - topology.cells().get(1 - d.cell()).xM(), d.yM());
            return own > other;
        }).count();
        // With 10 dB shadowing some devices are served by the farther but stronger cell.
        assertThat(farther).isPositive();
    }

    @Test
    void topologyFileRoundTrips() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("topology"), 2, TWO_CELLS, "devices.count=12", "rounds=1",
                "topology.placement=clustered", "topology.clusters=2");
        TopologyRecord written = RunTables.readJson(run.directory().resolve(RunFiles.TOPOLOGY), TopologyRecord.class);
        TopologyRecord expected = RunSetup.of(TestScenarios.quickstart(TWO_CELLS, "devices.count=12", "rounds=1",
                "topology.placement=clustered", "topology.clusters=2")).topologyRecord();
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void aTraceIsReplayedExactly() throws Exception {
        Path trace = temp.resolve("gains.csv");
        StringBuilder csv = new StringBuilder("round,device,gain_db\n");
        SplittableRandom random = new SplittableRandom(8);
        double[][] db = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 4; k++) {
                db[r][k] = -120 + 40 * random.nextDouble();
                csv.append(r).append(',').append(k).append(',').append(db[r][k]).append('\n');
            }
        }
        Files.writeString(trace, csv);
        RunFixture run = RunFixture.run(temp.resolve("trace"), 2, "channel.fading=trace",
                "channel.trace_file=" + trace.toAbsolutePath(), "devices.count=4", "rounds=3");
        List<DeviceRoundRecord> rows = run.devices();
        assertThat(rows).hasSize(12);
        for (DeviceRoundRecord row : rows) {
            assertThat(row.gain()).isEqualTo(Math.pow(10, db[row.round()][row.device()] / 10));
            assertThat(row.gainEstimate()).isEqualTo(row.gain());
        }
    }

    @Test
    void devicesMoveWithinTheirCellAtTheirSpeed() throws Exception {
        for (String model : List.of("random-waypoint", "constant-velocity")) {
            RunFixture run = RunFixture.run(temp.resolve(model), 2, "mobility.model=" + model, "mobility.speed_mps=1.5",
                    "devices.count=6", "rounds=5", "budgets.latency_s=1000", "budgets.energy_j=1000");
            Map<Integer, List<DeviceRoundRecord>> byDevice = run.devices().stream()
                    .collect(Collectors.groupingBy(DeviceRoundRecord::device));
            double roundS = run.rounds().get(0).latencyS();
            double moved = 0;
            for (List<DeviceRoundRecord> path : byDevice.values()) {
                for (int r = 1; r < path.size(); r++) {
                    double step = Math.hypot(path.get(r).xM() - path.get(r - 1).xM(), path.get(r).yM() - path.get(r - 1).yM());
                    assertThat(step).as(model).isLessThanOrEqualTo(1.5 * roundS + 1e-6);
                    moved += step;
                }
                path.forEach(row -> assertThat(row.distanceM()).isLessThanOrEqualTo(200 + 1e-6));
            }
            assertThat(moved).as(model).isGreaterThan(0);
        }
    }

    @Test
    void staleCsiShowsThePlannerLastRoundsGains() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("stale"), 2, "csi.model=stale", "devices.count=5", "rounds=4");
        Map<String, DeviceRoundRecord> rows = run.devices().stream()
                .collect(Collectors.toMap(d -> d.round() + "/" + d.device(), d -> d));
        for (DeviceRoundRecord row : run.devices()) {
            double expected = row.round() == 0 ? row.gain() : rows.get((row.round() - 1) + "/" + row.device()).gain();
            assertThat(row.gainEstimate()).isEqualTo(expected);
        }
        RunFixture noisy = RunFixture.run(temp.resolve("noisy"), 2, "csi.model=noisy", "csi.error_variance=0.5",
                "devices.count=5", "rounds=2");
        assertThat(noisy.devices()).allSatisfy(row -> assertThat(row.gainEstimate()).isNotEqualTo(row.gain()));
    }

    @Test
    void shortCoherenceBlocksChangeTheGainWithinARound() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("blocks"), 2, "channel.coherence_s=0.5", "devices.count=4",
                "rounds=2", "budgets.latency_s=1000", "budgets.energy_j=1000");
        List<EventRecord> sounded = run.events().stream().filter(e -> e.type() == EventType.CHANNEL_SOUNDED).toList();
        assertThat(sounded).allSatisfy(e -> assertThat(((Number) e.payload().get("blocks")).intValue()).isGreaterThan(1000));
        // The upload happens ~120 s after the round's start, in other blocks than the recorded start gain:
        // its effective rate is not the rate of that gain.
        long differing = run.devices().stream().filter(row -> {
            double single = row.bandwidthHz() * Math.log1p(row.powerW() * row.gain()
                    / (Math.pow(10, -20.4) * row.bandwidthHz())) / Math.log(2);
            return Math.abs(row.uplinkRateBps() - single) > 1e-6 * single;
        }).count();
        assertThat(differing).isPositive();
    }
}
