package org.fedlodrop.simulator.study;

import java.util.Arrays;

/**
 * The exact two-sided sign-flip (Fisher–Pitman permutation) test of paired differences: under the null hypothesis
 * that the two points do not differ, each seed's difference is as likely to have either sign, so the p-value is the
 * share of the 2^m sign patterns of the m nonzero differences whose sum lies at least as far from zero as the
 * observed sum. It assumes no normality, which a t-interval over three to ten seeds leans on; with m seeds all on
 * one side its least value is 2 / 2^m (0.25 at three seeds, 0.0625 at five), a floor that a reader of a paired
 * table should see. {@code scripts/paired-difference.py} computes the same from a study's journal.
 */
public final class SignFlip {
    /** Nonzero differences past which the enumeration (2^(m−1) patterns of m additions each) is not done. */
    public static final int MAX_EXACT = 20;

    private SignFlip() {
    }

    /**
     * The exact two-sided p-value of {@code differences}: 1 when none is nonzero, NaN when more than
     * {@link #MAX_EXACT} are nonzero or any is not finite.
     */
    public static double twoSidedP(double[] differences) {
        if (Arrays.stream(differences).anyMatch(d -> !Double.isFinite(d))) {
            return Double.NaN;
        }
        double[] nonzero = Arrays.stream(differences).filter(d -> d != 0).toArray();
        int m = nonzero.length;
        if (m == 0) {
            return 1;
        }
        if (m > MAX_EXACT) {
            return Double.NaN;
        }
        double observed = Math.abs(signedSum(nonzero, 0));
        // Patterns whose sums equal the observed one in exact arithmetic may differ from it in the last bits.
        double tolerance = 1e-9 * Arrays.stream(nonzero).map(Math::abs).sum();
        // A pattern and its negation have the same |sum|: enumerate those that keep the last sign and count twice.
        long half = 1L << (m - 1);
        long atLeast = 0;
        for (long pattern = 0; pattern < half; pattern++) {
            if (Math.abs(signedSum(nonzero, pattern)) >= observed - tolerance) {
                atLeast++;
            }
        }
        return atLeast / (double) half;
    }

    /** The sum of {@code values}, the i-th negated where bit i of {@code pattern} is set, added in index order. */
    private static double signedSum(double[] values, long pattern) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += (pattern >>> i & 1) == 0 ? values[i] : -values[i];
        }
        return sum;
    }
}
