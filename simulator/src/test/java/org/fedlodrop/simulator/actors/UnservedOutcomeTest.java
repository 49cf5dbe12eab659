package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices the planner leaves out are {@code unserved}: sent nothing, spending nothing, counted as
 * devices (not as the planner's messages), and apart from misses and refusals. A shrunken version of
 * the three-cell UMi run where a crowded band left a third of the device-rounds out.
 */
class UnservedOutcomeTest {
    @TempDir
    Path temp;

    private static final String[] CROWDED = {"dropout.aggregation=masked-mean",
            "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}, {x_m: 200, y_m: 350}]",
            "devices.count=30", "channel.path_loss=3gpp-umi", "topology.association=strongest",
            "network.bandwidth_hz=2e6", "planner.solver=psca", "rounds=3"};

    @Test
    void leftOutDevicesAreUnservedAndEveryDeviceRoundIsCountedOnce() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("crowded"), 2, CROWDED);
        List<DeviceRoundRecord> rows = run.devices();
        List<DeviceRoundRecord> unserved = rows.stream().filter(d -> d.outcome() == DeviceOutcome.UNSERVED).toList();
        assertThat(unserved).as("the scenario must leave devices out to test anything").hasSizeGreaterThan(5);
        assertThat(rows.size() - unserved.size()).as("and serve others").isGreaterThan(10);

        for (RoundRecord round : run.rounds()) {
            Map<DeviceOutcome, Long> outcomes = rows.stream().filter(d -> d.round() == round.round())
                    .collect(Collectors.groupingBy(DeviceRoundRecord::outcome, Collectors.counting()));
            assertThat(round.devicesUnserved()).isEqualTo(outcomes.getOrDefault(DeviceOutcome.UNSERVED, 0L).intValue());
            assertThat(round.devicesUnserved() + round.devicesAggregated() + round.devicesMissedDeadline()
                    + round.devicesRefusedEnergy()).isEqualTo(round.devicesScheduled()).isEqualTo(30);
            // With perfect CSI the plan is exact: every device it served was aggregated.
            assertThat(round.devicesMissedDeadline() + round.devicesRefusedEnergy()).as("round " + round.round()).isZero();
        }
        for (DeviceRoundRecord d : unserved) {
            assertThat(d.bandwidthHz()).isZero();
            assertThat(d.payloadBits()).isZero();
            assertThat(d.tDlS()).isZero();
            assertThat(d.tCmpS()).isZero();
            assertThat(d.tUlS()).isZero();
            assertThat(d.latencyS()).isZero();
            assertThat(d.energyJ()).isZero();
            assertThat(d.deadlineMet()).isFalse();
        }

        // Nothing was sent to an unserved device, and the plan event says why, one line per device.
        List<EventRecord> events = run.events();
        Set<String> downloads = events.stream().filter(e -> e.type() == EventType.DOWNLOAD_START)
                .map(e -> e.round() + ":" + e.device()).collect(Collectors.toSet());
        for (DeviceRoundRecord d : unserved) {
            assertThat(downloads).doesNotContain(d.round() + ":" + d.device());
        }
        assertThat(downloads).hasSize(rows.size() - unserved.size());
        long reasons = events.stream().filter(e -> e.type() == EventType.PLAN)
                .mapToLong(e -> ((List<?>) e.payload().get("reasons")).size()).sum();
        assertThat(reasons).isEqualTo(unserved.size());
        long countedInPlans = events.stream().filter(e -> e.type() == EventType.PLAN)
                .mapToLong(e -> ((Number) e.payload().get("unserved")).longValue()).sum();
        assertThat(countedInPlans).isEqualTo(unserved.size());

        RunSummary summary = RunFormats.jsonDocument().readValue(run.directory().resolve(RunFiles.SUMMARY).toFile(), RunSummary.class);
        assertThat(summary.unserved()).isEqualTo(unserved.size());
        assertThat(summary.aggregated() + summary.missedDeadline() + summary.refusedEnergy() + summary.unserved())
                .isEqualTo(summary.deviceRounds()).isEqualTo(90);
        assertThat(summary.participation()).isEqualTo(summary.aggregated() / 90.0);
    }
}
