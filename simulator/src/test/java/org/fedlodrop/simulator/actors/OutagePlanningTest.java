package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans for outage (planner.outage ε) fail about as often as ε says, and change nothing under perfect CSI. */
class OutagePlanningTest {
    @TempDir
    Path temp;

    private static final String[] MANY = {"dropout.aggregation=masked-mean", "devices.count=40", "rounds=20", "planner.solver=psca",
            "network.bandwidth_hz=30e6"};

    private static String[] with(String... extra) {
        return Stream.concat(Stream.of(MANY), Stream.of(extra)).toArray(String[]::new);
    }

    /** Share of the device-rounds the planner served that missed the deadline or refused for energy. */
    private static double failedShare(List<DeviceRoundRecord> rows) {
        List<DeviceRoundRecord> planned = rows.stream().filter(d -> d.outcome() != DeviceOutcome.UNSERVED).toList();
        assertThat(planned).as("enough planned device-rounds to tell 5 % from 10 %").hasSizeGreaterThan(500);
        return planned.stream().filter(d -> d.outcome() != DeviceOutcome.AGGREGATED).count() / (double) planned.size();
    }

    @Test
    void withNoisyCsiAPlanForFivePercentOutageFailsAtMostFivePercentOfTheTime() throws Exception {
        RunFixture nominal = RunFixture.run(temp.resolve("nominal"), 2, with("csi.model=noisy"));
        RunFixture robust = RunFixture.run(temp.resolve("robust"), 2, with("csi.model=noisy", "planner.outage=0.05"));
        double nominalShare = failedShare(nominal.devices());
        List<DeviceRoundRecord> planned = robust.devices().stream()
                .filter(d -> d.outcome() != DeviceOutcome.UNSERVED).toList();
        double share = failedShare(robust.devices());
        // Within sampling error of ≤ 5 %: 5 % plus 2.5 standard errors, well below 10 % at this size.
        double limit = 0.05 + 2.5 * Math.sqrt(0.05 * 0.95 / planned.size());
        assertThat(limit).isLessThan(0.075);
        assertThat(share).as("robust failure share").isLessThanOrEqualTo(limit);
        assertThat(nominalShare).as("nominal failure share, the estimate's upward bias").isGreaterThan(0.25);
        assertThat(robust.devices().stream().filter(d -> d.outcome() == DeviceOutcome.AGGREGATED).count())
                .as("the robust plan aggregates more").isGreaterThan(
                        nominal.devices().stream().filter(d -> d.outcome() == DeviceOutcome.AGGREGATED).count());
    }

    @Test
    void staleCsiWithFreshFadingEveryRoundIsPlannedOnTheFadingModelsTail() throws Exception {
        RunFixture robust = RunFixture.run(temp.resolve("stale"), 2, with("csi.model=stale", "planner.outage=0.05"));
        List<DeviceRoundRecord> planned = robust.devices().stream()
                .filter(d -> d.outcome() != DeviceOutcome.UNSERVED).toList();
        assertThat(failedShare(robust.devices())).isLessThanOrEqualTo(0.05 + 2.5 * Math.sqrt(0.05 * 0.95 / planned.size()));
    }

    @Test
    void underPerfectCsiThePlanForOutageIsTheNominalPlan() throws Exception {
        RunFixture nominal = RunFixture.run(temp.resolve("perfect-nominal"), 2, "dropout.aggregation=masked-mean", "planner.solver=psca", "rounds=4");
        RunFixture robust = RunFixture.run(temp.resolve("perfect-robust"), 2, "dropout.aggregation=masked-mean", "planner.solver=psca", "rounds=4",
                "planner.outage=0.05");
        for (String file : List.of(RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.EVENTS, RunFiles.SUMMARY)) {
            assertThat(robust.bytes(file)).as(file).isEqualTo(nominal.bytes(file));
        }
    }
}
