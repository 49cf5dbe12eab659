package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round protocol end to end through the actors, checked against docs/model.md eqs. 9 to 14 worked
 * out here from each device's distance, with fading and shadowing off so that the gain is the path
 * loss alone.
 */
class RoundProtocolTest {
    // 10^(-174/10) mW/Hz, 46 dBm, 23 dBm
    private static final double N0 = Math.pow(10, -20.4);
    private static final double P_BS = Math.pow(10, 1.6);
    private static final double P_MAX = Math.pow(10, -0.7);
    private static final double CYCLES = 3 * 20 * (4.0 * 124_645_632 * 128 / 16 + 0.5 * 6.0 * 147_456 * 128 / 16);
    // Exact mask: floor(0.5 * 768) = 384 rows and columns dropped in each of 24 matrices; head of 592,130.
    private static final double PAYLOAD_BITS = 32.0 * (24 * 4 * (384 + 384) + 592_130);

    @TempDir
    Path temp;

    private static final String[] DETERMINISTIC_CHANNEL = {"dropout.aggregation=masked-mean", "channel.fading=none", "channel.shadowing_db=0",
            "devices.count=4", "rounds=2"};

    private RunFixture run(String name, String... budgets) throws Exception {
        String[] overrides = java.util.stream.Stream.concat(java.util.Arrays.stream(DETERMINISTIC_CHANNEL),
                java.util.Arrays.stream(budgets)).toArray(String[]::new);
        return RunFixture.run(temp.resolve(name), 2, overrides);
    }

    @Test
    void latencyAndEnergyOfEveryDeviceMatchTheEquations() throws Exception {
        RunFixture run = run("generous", "budgets.latency_s=1000", "budgets.energy_j=1000");
        List<DeviceRoundRecord> rows = run.devices();
        assertThat(rows).hasSize(8);
        for (DeviceRoundRecord row : rows) {
            double pathLossDb = 128.1 + 37.6 * Math.log10(row.distanceM() / 1000);
            double gain = Math.pow(10, -pathLossDb / 10);
            double b = 10e6 / 4;
            double uplink = b * Math.log(1 + P_MAX * gain / (N0 * b)) / Math.log(2);
            double downlink = b * Math.log(1 + P_BS * gain / (N0 * b)) / Math.log(2);
            double compute = CYCLES / 2e9;
            assertThat(row.gain()).isCloseTo(gain, within(gain * 1e-9));
            assertThat(row.payloadBits()).isEqualTo(PAYLOAD_BITS);
            assertThat(row.tDlS()).isCloseTo(PAYLOAD_BITS / downlink, within(1e-9));
            assertThat(row.tCmpS()).isCloseTo(compute, within(1e-9));
            assertThat(row.tUlS()).isCloseTo(PAYLOAD_BITS / uplink, within(1e-9));
            assertThat(row.energyCmpJ()).isCloseTo(1e-28 * CYCLES * 4e18, within(1e-9));
            assertThat(row.energyUlJ()).isCloseTo(P_MAX * PAYLOAD_BITS / uplink, within(1e-9));
            assertThat(row.outcome()).isEqualTo(DeviceOutcome.AGGREGATED);
            assertThat(row.deadlineMet()).isTrue();
        }
        for (RoundRecord round : run.rounds()) {
            double slowest = rows.stream().filter(r -> r.round() == round.round())
                    .mapToDouble(DeviceRoundRecord::latencyS).max().orElseThrow();
            // Round time = the slowest aggregated device + the server's aggregation time (docs/model.md §4).
            assertThat(round.latencyS()).isCloseTo(slowest + 0.05, within(1e-8));
            assertThat(round.devicesAggregated()).isEqualTo(4);
            assertThat(round.aggregatedSamples()).isEqualTo(80);
        }
        assertThat(run.rounds().get(1).startS()).isEqualTo(run.rounds().get(0).endS());
    }

    @Test
    void aDeviceWithoutEnoughEnergyRefusesAndSpendsNothing() throws Exception {
        RunFixture run = run("poor", "budgets.latency_s=1000", "budgets.energy_j=50");
        assertThat(run.devices()).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo(DeviceOutcome.REFUSED_ENERGY);
            assertThat(row.energyJ()).isZero();
            assertThat(row.deadlineMet()).isFalse();
        });
        assertThat(run.rounds()).allSatisfy(round -> {
            assertThat(round.devicesRefusedEnergy()).isEqualTo(4);
            assertThat(round.devicesAggregated()).isZero();
        });
        assertThat(run.events()).filteredOn(e -> e.type() == EventType.ENERGY_REFUSED).hasSize(8);
    }

    @Test
    void aDeviceOutOfTimeStopsAtTheDeadlineAndReportsWhatItSpent() throws Exception {
        RunFixture run = run("hurried", "budgets.latency_s=10", "budgets.energy_j=1000");
        for (DeviceRoundRecord row : run.devices()) {
            assertThat(row.outcome()).isEqualTo(DeviceOutcome.MISSED_DEADLINE);
            assertThat(row.latencyS()).isCloseTo(10, within(1e-8));
            assertThat(row.tUlS()).isZero();
            double computing = 10 - row.tDlS();
            assertThat(row.tCmpS()).isCloseTo(computing, within(1e-8));
            assertThat(row.energyCmpJ()).isCloseTo(1e-28 * CYCLES * 4e18 * computing / (CYCLES / 2e9), within(1e-6));
        }
        assertThat(run.rounds()).allSatisfy(round -> assertThat(round.latencyS()).isCloseTo(10.05, within(1e-8)));
        List<EventRecord> misses = run.events().stream().filter(e -> e.type() == EventType.DEADLINE_MISSED).toList();
        assertThat(misses).hasSize(8).allSatisfy(e -> assertThat(e.payload().get("stage")).isEqualTo("compute"));
    }

    @Test
    void aDownloadCutOffByTheDeadlineIsAMissWithoutEnergy() throws Exception {
        RunFixture run = run("instant", "budgets.latency_s=0.01", "budgets.energy_j=1000");
        assertThat(run.devices()).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo(DeviceOutcome.MISSED_DEADLINE);
            assertThat(row.tDlS()).isCloseTo(0.01, within(1e-12));
            assertThat(row.energyJ()).isZero();
        });
        assertThat(run.events()).filteredOn(e -> e.type() == EventType.DEADLINE_MISSED)
                .allSatisfy(e -> assertThat(e.payload().get("stage")).isEqualTo("download"));
    }
}
