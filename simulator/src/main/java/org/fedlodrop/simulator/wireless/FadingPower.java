package org.fedlodrop.simulator.wireless;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;
import org.hipparchus.distribution.continuous.GammaDistribution;
import org.hipparchus.special.Erf;

/**
 * A distribution of the small-scale power gain |h|² of one coherence block: the fading model's own
 * (what a block the planner has not seen may be), or what the planner believes after an estimate
 * (docs/wireless.md, "Planning for outage"). Only the lower tail matters: {@link #quantile}.
 */
public sealed interface FadingPower permits FadingPower.Known, FadingPower.Circular, FadingPower.GammaPower,
        FadingPower.Undisclosed {

    /** The power x with P(|h|² ≤ x) = p, for p in (0, 1). */
    double quantile(double p);

    /**
     * A plugin's fading, which draws gains but gives no distribution: a scenario with it plans on perfect CSI and
     * without outage, where no quantile is asked for (the scenario's checks refuse the rest).
     */
    record Undisclosed(String name) implements FadingPower {
        @Override
        public double quantile(double p) {
            throw new IllegalStateException(name + " gives no distribution for outage planning");
        }
    }

    /** |h|² known exactly: no fading, or a block the planner has seen without error. */
    record Known(double power) implements FadingPower {
        @Override
        public double quantile(double p) {
            return power;
        }
    }

    /**
     * |h|² = |μ + n|² with n ~ CN(0, s²): Rayleigh (μ = 0, s² = 1), Rician (|μ|² = K/(K+1),
     * s² = 1/(K+1)), and the posterior of h given a noisy estimate (docs/wireless.md, eq. W3).
     * |h|² is then a scaled non-central χ² with 2 degrees of freedom: 2|h|²/s² ~ χ'²₂(2|μ|²/s²).
     *
     * @param meanPower |μ|²
     * @param variance  s²
     */
    record Circular(double meanPower, double variance) implements FadingPower {
        private static final GaussIntegrator RULE = legendreOnUnitInterval(48);

        public Circular {
            if (!(meanPower >= 0 && variance >= 0) || meanPower + variance == 0) {
                throw new IllegalArgumentException("a circular fading power needs |μ|² ≥ 0 and s² ≥ 0, not both 0");
            }
        }

        /**
         * The n-point Gauss–Legendre rule moved from [-1, 1] to [0, 1], exactly as Hipparchus's
         * {@code GaussIntegratorFactory.legendre(n, 0, 1)} moves it (same operations, same doubles), without
         * building that factory: its constructor also prepares a 40-digit rule we never use, which took
         * 0.15 to 0.2 s of every run's start-up.
         */
        static GaussIntegrator legendreOnUnitInterval(int points) {
            var rule = new LegendreRuleFactory().getRule(points);
            double[] nodes = rule.getFirst().clone();
            double[] weights = rule.getSecond().clone();
            double halfWidth = (1.0 - 0.0) / 2;
            double centre = 0.0 + halfWidth;
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = nodes[i] * halfWidth + centre;
                weights[i] *= halfWidth;
            }
            return new GaussIntegrator(nodes, weights);
        }

        @Override
        public double quantile(double p) {
            if (variance == 0) {
                return meanPower;
            }
            if (meanPower == 0) {
                // Exponential with mean s²: closed form.
                return -variance * Math.log1p(-p);
            }
            double a = Math.sqrt(meanPower);
            double sigma = Math.sqrt(variance);
            double lo = 0;
            double hi = Math.pow(a + 10 * sigma, 2);
            for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
                double mid = 0.5 * (lo + hi);
                if (cdf(mid) < p) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return 0.5 * (lo + hi);
        }

        /**
         * P(|μ + n|² ≤ x) = P((a + u)² + v² ≤ x), u, v ~ N(0, s²/2), a = |μ|: integrated over v with
         * v = √x sin θ (which removes the square root's singularity at v = ±√x), the inner
         * probability over u in closed form.
         */
        double cdf(double x) {
            if (x <= 0) {
                return 0;
            }
            double a = Math.sqrt(meanPower);
            double componentSd = Math.sqrt(variance / 2);
            double r = Math.sqrt(x);
            // v beyond 12 standard deviations adds nothing; integrate θ over [0, θ_max] and double (even in v).
            double thetaMax = r <= 12 * componentSd ? Math.PI / 2 : Math.asin(12 * componentSd / r);
            double sum = 0;
            for (int i = 0; i < RULE.getNumberOfPoints(); i++) {
                double theta = thetaMax * RULE.getPoint(i);
                double v = r * Math.sin(theta);
                double half = r * Math.cos(theta);
                double density = Math.exp(-v * v / (2 * componentSd * componentSd)) / (componentSd * Math.sqrt(2 * Math.PI));
                // P(|a + u| ≤ half), as a difference of erfc so that the lower tail keeps its digits.
                double inner = 0.5 * (Erf.erfc((a - half) / (componentSd * Math.sqrt(2)))
                        - Erf.erfc((a + half) / (componentSd * Math.sqrt(2))));
                sum += RULE.getWeight(i) * density * inner * half;
            }
            return Math.min(1, 2 * thetaMax * sum);
        }
    }

    /** Nakagami-m fading: |h|² ~ Gamma(shape m, scale 1/m). */
    record GammaPower(double m) implements FadingPower {
        @Override
        public double quantile(double p) {
            return new GammaDistribution(m, 1 / m).inverseCumulativeProbability(p);
        }
    }
}
