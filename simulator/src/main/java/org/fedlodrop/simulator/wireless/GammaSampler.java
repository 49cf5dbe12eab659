package org.fedlodrop.simulator.wireless;

import java.util.random.RandomGenerator;

/**
 * Gamma(shape, 1) variates by Marsaglia and Tsang (2000), with the shape-boosting step for
 * shape &lt; 1. Written here because the JDK has none and the libraries that do (Hipparchus,
 * Commons Statistics) draw from their own generator types rather than our per-actor streams.
 */
final class GammaSampler {
    private GammaSampler() {
    }

    static double sample(double shape, RandomGenerator random) {
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) · U^(1/a)
            return sample(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
