package org.fedlodrop.simulator.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.study.JournalEntry;
import org.junit.jupiter.api.Test;

/** Paired differences against hand-computed means, intervals, counts and sign-flip p-values. */
class PairedDifferencesTest {
    private static final List<PairedDifferences.Metric> METRICS = List.of(
            new PairedDifferences.Metric("accuracy", PairedDifferences.Better.HIGHER),
            new PairedDifferences.Metric("loss", PairedDifferences.Better.LOWER));

    @Test
    void theDifferencesArePairedSeedBySeed() {
        // Point 0 is ahead of point 1 by 0.01, 0.02 and 0.03 in accuracy although the seeds spread by 0.2:
        // the means' intervals overlap, the paired one (mean 0.02, sd 0.01, t(2) = 4.303) excludes 0.
        List<JournalEntry> entries = List.of(
                entry(0, 1, 0.51, 1.0), entry(0, 2, 0.72, 0.8), entry(0, 3, 0.93, Double.NaN),
                entry(1, 1, 0.50, 1.1), entry(1, 2, 0.70, 0.7), entry(1, 3, 0.90, 0.5),
                entry(2, 1, 0.60, 0.9));
        List<PairedDifferences.Row> rows = PairedDifferences.of(entries, 0, List.of(1, 2), METRICS);
        PairedDifferences.Cell accuracy = rows.get(0).cells().get("accuracy");
        assertThat(accuracy.seeds()).isEqualTo(3);
        assertThat(accuracy.ahead()).isEqualTo(3);
        assertThat(accuracy.difference().mean()).isCloseTo(0.02, within(1e-12));
        assertThat(accuracy.difference().ci95()).isCloseTo(4.302652729911275 * 0.01 / Math.sqrt(3), within(1e-9));
        // Three seeds of three ahead: only all-plus and all-minus of the 8 sign patterns reach the sum.
        assertThat(accuracy.signFlipP()).isEqualTo(0.25);
        // Loss: seed 3 is NaN for point 0 and left out; lower is better, so seed 1 (−0.1) counts, seed 2 (+0.1) not.
        PairedDifferences.Cell loss = rows.get(0).cells().get("loss");
        assertThat(loss.seeds()).isEqualTo(2);
        assertThat(loss.ahead()).isEqualTo(1);
        assertThat(loss.difference().mean()).isCloseTo(0, within(1e-12));
        assertThat(loss.signFlipP()).isEqualTo(1); // −0.1 and +0.1: every pattern is as far from zero
        // Point 2 ran seed 1 only: one difference, no interval.
        PairedDifferences.Cell single = rows.get(1).cells().get("accuracy");
        assertThat(single.seeds()).isEqualTo(1);
        assertThat(single.ahead()).isZero();
        assertThat(single.difference().mean()).isCloseTo(-0.09, within(1e-12));
        assertThat(single.difference().ci95()).isNaN();
    }

    @Test
    void lossesCostsTimesAndUnservedDevicesAreBetterLower() {
        for (String lower : List.of("final_test_loss", "train_loss", "total_energy_j", "mean_round_latency_s",
                "virtual_time_s", "missed_deadline", "refused_energy", "unserved")) {
            assertThat(PairedDifferences.Better.of(lower)).as(lower).isEqualTo(PairedDifferences.Better.LOWER);
        }
        for (String higher : List.of("final_test_accuracy", "best_test_accuracy", "participation", "devices_aggregated")) {
            assertThat(PairedDifferences.Better.of(higher)).as(higher).isEqualTo(PairedDifferences.Better.HIGHER);
        }
    }

    private static JournalEntry entry(int point, long seed, double accuracy, double loss) {
        return new JournalEntry(point, seed, Map.of("accuracy", accuracy, "loss", loss));
    }
}
