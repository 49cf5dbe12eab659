package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json's learning and γ fields against rounds.csv and devices.csv, worked out here. */
class RunSummaryTest {
    @TempDir
    Path temp;

    private static RunSummary summary(RunFixture run) throws Exception {
        return RunFormats.jsonDocument().readValue(run.directory().resolve(RunFiles.SUMMARY).toFile(), RunSummary.class);
    }

    @Test
    void aLearningRunSummarisesItsFinalAndBestTestMetricsAndItsMeanGamma() throws Exception {
        RunFixture run = RunFixture.run(temp.resolve("learn"), 2, "data.workload=synthetic", "rounds=5",
                "planner.solver=random", "model.widths=[16, 32, 32]", "budgets.latency_s=130", "budgets.energy_j=110");
        RunSummary summary = summary(run);
        List<RoundRecord> rounds = run.rounds();
        RoundRecord last = rounds.get(rounds.size() - 1);
        RoundRecord lowestLoss = rounds.stream().min(Comparator.comparingDouble(RoundRecord::testLoss)
                .thenComparingInt(RoundRecord::round)).orElseThrow();
        RoundRecord highestAccuracy = rounds.stream().max(Comparator.comparingDouble(RoundRecord::testAccuracy)
                .thenComparing(RoundRecord::round, Comparator.reverseOrder())).orElseThrow();
        assertThat(summary.learning()).isTrue();
        assertThat(summary.finalTestLoss()).isEqualTo(last.testLoss());
        assertThat(summary.finalTestAccuracy()).isEqualTo(last.testAccuracy());
        assertThat(summary.bestTestLoss()).isEqualTo(lowestLoss.testLoss());
        assertThat(summary.bestTestLossRound()).isEqualTo(lowestLoss.round());
        assertThat(summary.bestTestAccuracy()).isEqualTo(highestAccuracy.testAccuracy());
        assertThat(summary.bestTestAccuracyRound()).isEqualTo(highestAccuracy.round());
        List<DeviceRoundRecord> served = run.devices().stream().filter(d -> d.outcome() != DeviceOutcome.UNSERVED).toList();
        assertThat(served).hasSizeGreaterThan(10);
        assertThat(summary.runMeanGamma()).isCloseTo(served.stream().mapToDouble(DeviceRoundRecord::gamma).average()
                .orElseThrow(), within(1e-12));
    }

    @Test
    void aCostOnlyRunHasNoLearningFields() throws Exception {
        RunSummary summary = summary(RunFixture.run(temp.resolve("cost"), 2, "rounds=2"));
        assertThat(summary.learning()).isFalse();
        assertThat(summary.bestTestLossRound()).isEqualTo(-1);
        assertThat(summary.bestTestAccuracyRound()).isEqualTo(-1);
        assertThat(summary.runMeanGamma()).isEqualTo(0.5);
    }
}
