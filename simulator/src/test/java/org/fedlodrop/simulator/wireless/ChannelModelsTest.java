package org.fedlodrop.simulator.wireless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.hipparchus.distribution.continuous.ExponentialDistribution;
import org.hipparchus.distribution.continuous.GammaDistribution;
import org.hipparchus.stat.descriptive.moment.Mean;
import org.hipparchus.stat.descriptive.moment.StandardDeviation;
import org.hipparchus.stat.descriptive.moment.Variance;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * Small-scale fading and shadowing against their definitions: distributions by Kolmogorov–Smirnov
 * and moments, shadowing against its σ and correlation, coherence blocks by hand (path loss is
 * {@link PathLossTest}'s).
 */
class ChannelModelsTest {
    private static final int N = 20_000;

    private static double[] draw(Fading fading, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] samples = new double[N];
        for (int i = 0; i < N; i++) {
            samples[i] = fading.powerGain(random);
        }
        return samples;
    }

    @Test
    void rayleighPowerIsExponentialWithMeanOne() {
        double[] samples = draw(new Fading.Rayleigh(), 1);
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new ExponentialDistribution(1.0), samples);
        assertThat(p).isGreaterThan(0.01);
        assertThat(new Mean().evaluate(samples)).isCloseTo(1, within(0.03));
        // The test can tell: the same samples are no exponential of mean 1.3.
        assertThat(new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new ExponentialDistribution(1.3), samples))
                .isLessThan(1e-6);
    }

    @Test
    void nakagamiPowerIsGammaWithShapeMAndMeanOne() {
        for (double m : new double[] {0.6, 1.0, 2.5}) {
            double[] samples = draw(new Fading.Nakagami(m), 2);
            double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new GammaDistribution(m, 1 / m), samples);
            assertThat(p).as("m = " + m).isGreaterThan(0.01);
            assertThat(new Mean().evaluate(samples)).isCloseTo(1, within(0.03));
            assertThat(new Variance().evaluate(samples)).isCloseTo(1 / m, within(0.06 / m));
        }
    }

    @Test
    void ricianPowerHasMeanOneAndTheSecondMomentOfItsKFactor() {
        double k = 3;
        double[] samples = draw(new Fading.Rician(k), 3);
        double secondMoment = java.util.Arrays.stream(samples).map(v -> v * v).average().orElseThrow();
        assertThat(new Mean().evaluate(samples)).isCloseTo(1, within(0.02));
        // E|h|⁴ = (2 + 4K + K²) / (K + 1)² = 1.4375 for K = 3
        assertThat(secondMoment).isCloseTo(1.4375, within(0.03));
    }

    @Test
    void noFadingIsUnitGain() {
        assertThat(draw(new Fading.Flat(), 4)).containsOnly(1.0);
    }

    @Test
    void shadowingHasTheConfiguredSigma() {
        double[] x = new double[N];
        double[] y = new double[N];
        double[] shadowing = ShadowingField.draw(x, y, 8, 0, new SplittableRandom(4));
        assertThat(new StandardDeviation().evaluate(shadowing)).isCloseTo(8, within(0.15));
        assertThat(new Mean().evaluate(shadowing)).isCloseTo(0, within(0.15));
    }

    @Test
    void correlatedShadowingFollowsGudmundson() {
        // Two devices 50 m apart with a 50 m decorrelation distance: correlation e^-1.
        SplittableRandom random = new SplittableRandom(5);
        int n = 20_000;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double[] field = ShadowingField.draw(new double[] {0, 50}, new double[] {0, 0}, 6, 50, random);
            a[i] = field[0];
            b[i] = field[1];
        }
        double correlation = new org.hipparchus.stat.correlation.PearsonsCorrelation().correlation(a, b);
        assertThat(correlation).isCloseTo(Math.exp(-1), within(0.02));
        assertThat(new StandardDeviation().evaluate(b)).isCloseTo(6, within(0.15));
    }

    @Test
    void transmissionsSpanCoherenceBlocksAtEachBlocksRate() {
        // Blocks of 1 s from t = 10 s with rates 1, 2, 4 bit/s (rate = gain here).
        LinkTimeline link = new LinkTimeline(10_000_000_000L, 1_000_000_000L, new double[] {1, 2, 4});
        // From t = 10.5 s: 0.5 bit in block 0, 2 bit in block 1, then 1.5 bit at 4 bit/s.
        assertThat(link.transmissionS(10_500_000_000L, 4, g -> g)).isCloseTo(0.5 + 1 + 0.375, within(1e-12));
        assertThat(link.transmissionS(10_500_000_000L, 0.25, g -> g)).isCloseTo(0.25, within(1e-12));
        assertThat(LinkTimeline.constant(5).transmissionS(123, 10, g -> g)).isEqualTo(2);
    }
}
