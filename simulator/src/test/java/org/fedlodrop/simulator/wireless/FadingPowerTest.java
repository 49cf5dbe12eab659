package org.fedlodrop.simulator.wireless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;

/** The lower tails the planner for outage plans on, against independent references. */
class FadingPowerTest {

    /**
     * Reference: |μ + n|² with n ~ CN(0, s²) is s²/2 · χ'²₂(2|μ|²/s²), a Poisson(|μ|²/s²) mixture of
     * Gamma(j + 1, s²) laws (Simon and Alouini 2005, §2.2.1.2): a series, unlike the integral under test.
     */
    private static double seriesCdf(double meanPower, double variance, double x) {
        double nu = meanPower / variance;
        double sum = 0;
        for (int j = 0; j < 2000; j++) {
            double logWeight = -nu + j * Math.log(nu) - Gamma.logGamma(j + 1.0);
            sum += Math.exp(logWeight) * Gamma.regularizedGammaP(j + 1.0, x / variance);
        }
        return sum;
    }

    @Test
    void circularCdfMatchesThePoissonMixtureSeries() {
        double[][] cases = {{1.0 / 1.21, 0.1 / 1.1}, {2.5, 0.09}, {0.05, 0.9}, {2.0 / 3, 1.0 / 3}, {4.0, 0.01}};
        for (double[] c : cases) {
            FadingPower.Circular power = new FadingPower.Circular(c[0], c[1]);
            for (double p : new double[] {1e-4, 0.01, 0.05, 0.25, 0.5, 0.9}) {
                double x = power.quantile(p);
                assertThat(seriesCdf(c[0], c[1], x)).as("|μ|² %s, s² %s, p %s", c[0], c[1], p).isCloseTo(p, within(p * 1e-6));
                assertThat(power.cdf(x)).isCloseTo(p, within(p * 1e-9));
            }
        }
    }

    @Test
    void rayleighAndNakagamiHaveTheirClosedForms() {
        // Rayleigh: |h|² ~ Exp(1), quantile −ln(1 − p).
        assertThat(new FadingPower.Circular(0, 1).quantile(0.05)).isCloseTo(-Math.log(0.95), within(1e-15));
        // Nakagami m = 1 is Rayleigh; m = 2: P(X ≤ x) = 1 − e^{−2x}(1 + 2x).
        assertThat(new FadingPower.GammaPower(1).quantile(0.05)).isCloseTo(-Math.log(0.95), within(1e-9));
        double x = new FadingPower.GammaPower(2).quantile(0.05);
        assertThat(1 - Math.exp(-2 * x) * (1 + 2 * x)).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void circularQuantileAgreesWithSampling() {
        // Rician K = 2 as the channel draws it.
        Fading rician = new Fading.Rician(2);
        double q = rician.power().quantile(0.1);
        SplittableRandom random = new SplittableRandom(7);
        int below = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            if (rician.powerGain(random) <= q) {
                below++;
            }
        }
        assertThat(below / (double) n).isCloseTo(0.1, within(4 * Math.sqrt(0.1 * 0.9 / n)));
    }

    @Test
    void aGainSeenExactlyOnOneBlockIsPlannedAsSeen() {
        GainBelief belief = new GainBelief(3.7e-12, 1.1e-11, new FadingPower.Known(3.7e-12 / 1.1e-11), 0,
                new FadingPower.Circular(0, 1));
        for (double eps : new double[] {0.01, 0.05, 0.5}) {
            assertThat(belief.outageGain(eps)).isEqualTo(3.7e-12);
        }
        assertThat(GainBelief.exact(2e-10).outageGain(0.1)).isEqualTo(2e-10);
        assertThatThrownBy(() -> belief.outageGain(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void laterBlocksArePlannedOnTheirWorstWithHalfTheOutage() {
        // First block known to be strong; 9 unseen Rayleigh blocks: P(min ≥ x) = e^{−9x} = 1 − ε/2.
        GainBelief belief = new GainBelief(5.0, 2.0, new FadingPower.Known(2.5), 9, new FadingPower.Circular(0, 1));
        double expected = 2.0 * (-Math.log(1 - 0.025) / 9);
        assertThat(belief.outageGain(0.05)).isCloseTo(expected, within(expected * 1e-12));
        // A weak first block (posterior of a noisy estimate) can be the lower of the two.
        GainBelief weak = new GainBelief(0.1, 1.0, new FadingPower.Circular(1e-4, 1e-4), 1, new FadingPower.Circular(0, 1));
        assertThat(weak.outageGain(0.05)).isEqualTo(new FadingPower.Circular(1e-4, 1e-4).quantile(0.025));
    }

    @Test
    void theQuadratureRuleIsHipparchusFactorysToTheBit() {
        // The rule is built without GaussIntegratorFactory (whose constructor is slow); it must be the same doubles.
        GaussIntegrator reference = new GaussIntegratorFactory().legendre(48, 0, 1);
        GaussIntegrator rule = FadingPower.Circular.legendreOnUnitInterval(48);
        assertThat(rule.getNumberOfPoints()).isEqualTo(48);
        for (int i = 0; i < 48; i++) {
            assertThat(Double.doubleToRawLongBits(rule.getPoint(i))).as("node %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(reference.getPoint(i)));
            assertThat(Double.doubleToRawLongBits(rule.getWeight(i))).as("weight %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(reference.getWeight(i)));
        }
    }
}
