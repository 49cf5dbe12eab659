package org.fedlodrop.simulator.study;

import java.util.Arrays;
import org.fedlodrop.reports.study.Interval;
import org.hipparchus.distribution.continuous.TDistribution;

/** The mean of a metric over seeds and its 95 % Student-t interval. */
public final class Intervals {
    private Intervals() {
    }

    /** NaN mean for no values; NaN half-width for fewer than two. */
    public static Interval of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(values).sum() / n;
        if (n < 2) {
            return new Interval(mean, Double.NaN);
        }
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        return new Interval(mean, t * Math.sqrt(variance / n));
    }
}
