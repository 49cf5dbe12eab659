package org.fedlodrop.simulator.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sign-flip test's exact p against hand-computed values and against a full enumeration in integers. */
class SignFlipTest {
    @Test
    void handComputedValues() {
        // Sums of ±2 ±1 ±1 (hundredths): 4, 2, 2, 0 and their negations; the observed 2 − 1 + 1 = 2 is reached or
        // passed by 6 of the 8 patterns.
        assertThat(SignFlip.twoSidedP(new double[] {0.02, -0.01, 0.01})).isEqualTo(0.75);
        // Five seeds ahead and three level: only the five count, and only all-plus and all-minus reach the sum.
        assertThat(SignFlip.twoSidedP(new double[] {0.01, 0.02, 0, 0.01, 0, 0.03, 0, 0.01})).isEqualTo(2 / 32.0);
        // Three seeds of three ahead: the floor of a three-seed comparison.
        assertThat(SignFlip.twoSidedP(new double[] {0.3, 0.1, 0.2})).isEqualTo(0.25);
        // Differences that cancel: every pattern is as far from zero.
        assertThat(SignFlip.twoSidedP(new double[] {-0.1, 0.1})).isEqualTo(1);
        assertThat(SignFlip.twoSidedP(new double[] {-0.09})).isEqualTo(1);
    }

    @Test
    void levelSeedsAndLimits() {
        assertThat(SignFlip.twoSidedP(new double[] {0, 0, 0})).isEqualTo(1);
        assertThat(SignFlip.twoSidedP(new double[0])).isEqualTo(1);
        assertThat(SignFlip.twoSidedP(new double[] {0.1, Double.NaN})).isNaN();
        double[] twenty = new double[SignFlip.MAX_EXACT];
        Arrays.fill(twenty, 0.5);
        assertThat(SignFlip.twoSidedP(twenty)).isEqualTo(2 / Math.pow(2, 20));
        double[] more = Arrays.copyOf(twenty, SignFlip.MAX_EXACT + 1);
        more[SignFlip.MAX_EXACT] = 0.5;
        assertThat(SignFlip.twoSidedP(more)).isNaN();
        more[SignFlip.MAX_EXACT] = 0; // a level seed does not count towards the limit
        assertThat(SignFlip.twoSidedP(more)).isEqualTo(2 / Math.pow(2, 20));
    }

    /**
     * Every one of the 2^m patterns (not half, as the class enumerates, and level seeds included) summed in
     * integers: differences in whole test samples of 300, where patterns tie often and the doubles' sums differ
     * from one another in their last bits.
     */
    @Test
    void agreesWithAFullEnumerationInIntegers() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int m = 1 + random.nextInt(12);
            int[] samples = new int[m];
            double[] differences = new double[m];
            for (int i = 0; i < m; i++) {
                samples[i] = random.nextInt(9) - 3;
                differences[i] = samples[i] / 300.0;
            }
            assertThat(SignFlip.twoSidedP(differences)).as("trial %d: %s", trial, Arrays.toString(samples))
                    .isEqualTo(exactP(samples));
        }
    }

    private static double exactP(int[] samples) {
        int observed = Math.abs(Arrays.stream(samples).sum());
        int m = samples.length;
        long atLeast = 0;
        for (long pattern = 0; pattern < 1L << m; pattern++) {
            int sum = 0;
            for (int i = 0; i < m; i++) {
                sum += (pattern >>> i & 1) == 0 ? samples[i] : -samples[i];
            }
            if (Math.abs(sum) >= observed) {
                atLeast++;
            }
        }
        return atLeast / (double) (1L << m);
    }
}
