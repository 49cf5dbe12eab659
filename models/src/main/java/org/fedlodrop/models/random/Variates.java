package org.fedlodrop.models.random;

import java.util.random.RandomGenerator;

/**
 * Random variates the JDK lacks, drawn from any {@link RandomGenerator} so that callers keep their
 * own deterministic streams (Hipparchus and Commons Statistics draw from their own generator types).
 */
public final class Variates {
    private Variates() {
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boosting step for shape &lt; 1. */
    public static double gamma(double shape, RandomGenerator random) {
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) · U^(1/a)
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
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

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
