package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planners inside whole runs: what they plan is what happens, and the baselines follow their rules. */
class PlannerRunTest {
    /** Plans checked against eq. 5's payload: no W0 change on the download (docs/model.md eq. 4). */
    private static final String PAYLOAD_OF_EQ5 = "dropout.aggregation=masked-mean";

    @TempDir
    Path temp;

    @Test
    void optimisedPlansAreKeptByEveryDeviceTheyServe() throws Exception {
        for (String solver : List.of("bnb", "psca")) {
            RunFixture run = RunFixture.run(temp.resolve(solver), 2, PAYLOAD_OF_EQ5, "planner.solver=" + solver, "rounds=4");
            for (RoundRecord round : run.rounds()) {
                // With perfect CSI the plans hold in the simulation: no device the planner served fails.
                assertThat(round.devicesMissedDeadline() + round.devicesRefusedEnergy()).as(solver + " round " + round.round())
                        .isZero();
                assertThat(round.boundValue()).isPositive();
            }
            assertThat(run.devices().stream().filter(d -> d.outcome() == DeviceOutcome.AGGREGATED).count())
                    .isGreaterThan(30);
            for (int r = 0; r < 4; r++) {
                int round = r;
                double band = run.devices().stream().filter(d -> d.round() == round).mapToDouble(DeviceRoundRecord::bandwidthHz).sum();
                assertThat(band).isLessThanOrEqualTo(10e6 * (1 + 1e-9));
            }
        }
        RunFixture global = RunFixture.run(temp.resolve("certified"), 2, PAYLOAD_OF_EQ5, "planner.solver=bnb", "rounds=2",
                "budgets.latency_s=130", "budgets.energy_j=100");
        assertThat(global.rounds()).allSatisfy(round -> {
            assertThat(round.devicesUnserved()).isZero();
            assertThat(round.plannerLowerBound()).isLessThanOrEqualTo(round.boundValue())
                    .isGreaterThanOrEqualTo(round.boundValue() * (1 - 1e-4));
            assertThat(round.devicesAggregated()).isEqualTo(10);
        });
    }

    @Test
    void baselinesFollowTheirRules() throws Exception {
        RunFixture none = RunFixture.run(temp.resolve("none"), 2, PAYLOAD_OF_EQ5, "planner.solver=no-dropout", "rounds=2");
        assertThat(none.devices()).allSatisfy(d -> assertThat(d.gamma()).isZero());
        RunFixture fixed = RunFixture.run(temp.resolve("fixed"), 2, PAYLOAD_OF_EQ5, "planner.solver=fixed", "dropout.rate=0.3", "rounds=2");
        assertThat(fixed.devices()).allSatisfy(d -> assertThat(d.gamma()).isEqualTo(0.3));
        RunFixture random = RunFixture.run(temp.resolve("random"), 2, PAYLOAD_OF_EQ5, "planner.solver=random", "rounds=2");
        assertThat(random.devices()).allSatisfy(d -> assertThat(d.gamma()).isBetween(0.0, 0.9));
        assertThat(random.devices().stream().mapToDouble(DeviceRoundRecord::gamma).distinct().count()).isGreaterThan(10);
        // Resources are optimised: the band is spent, not split evenly.
        assertThat(fixed.devices().stream().mapToDouble(DeviceRoundRecord::bandwidthHz).distinct().count()).isGreaterThan(2);
    }
}
