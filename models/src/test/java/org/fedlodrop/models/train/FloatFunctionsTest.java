package org.fedlodrop.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatFunctionsTest {
    @Test
    void tanhIsMathTanhToOneUlp() {
        SplittableRandom random = new SplittableRandom(3);
        int exact = 0;
        int trials = 2_000_000;
        for (int i = 0; i < trials; i++) {
            // Magnitudes from 1e-12 to 30, both signs, so every branch and its borders are met.
            float x = (float) (Math.pow(10, -12 + 13.5 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
            float expected = (float) Math.tanh(x);
            float actual = FloatFunctions.tanh(x);
            assertThat(Math.abs(actual - expected)).as("tanh(%s)", x).isLessThanOrEqualTo(Math.ulp(expected));
            exact += actual == expected ? 1 : 0;
        }
        assertThat(exact).as("exactly rounded").isGreaterThan((int) (0.999 * trials));
        for (float x : new float[] {0f, -0f, 0x1p-10f, -0x1p-10f, 10f, -10f, 10.000001f, 1e30f, -1e30f, Float.MIN_VALUE}) {
            assertThat(FloatFunctions.tanh(x)).as("tanh(%s)", x).isEqualTo((float) Math.tanh(x));
        }
        assertThat(FloatFunctions.tanh(Float.NaN)).isNaN();
    }

    /**
     * The tabulated slopes h (1 − tanh²) give the bits of computing them per call, as the engine did before
     * (and as every committed learning result was made): h = 2⁻¹⁰ makes both products exact up to one rounding.
     */
    @Test
    void tanhWithTabulatedSlopesIsThePerCallFormulaToTheBit() {
        double step = 1.0 / 1024;
        int mismatches = 0;
        int checked = 0;
        for (int bits = Float.floatToRawIntBits(0x1p-10f); bits < Float.floatToRawIntBits(10f); bits += 7) {
            float x = Float.intBitsToFloat(bits);
            double position = x * 1024.0;
            int i = (int) position;
            double s = position - i;
            double s2 = s * s;
            double s3 = s2 * s;
            double left = Math.tanh(i * step);
            double right = Math.tanh((i + 1) * step);
            double value = (2 * s3 - 3 * s2 + 1) * left + (s3 - 2 * s2 + s) * step * (1 - left * left)
                    + (-2 * s3 + 3 * s2) * right + (s3 - s2) * step * (1 - right * right);
            for (float signed : new float[] {x, -x}) {
                float expected = (float) Math.copySign(value, signed);
                mismatches += Float.floatToRawIntBits(FloatFunctions.tanh(signed)) != Float.floatToRawIntBits(expected) ? 1 : 0;
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30_000_000);
        assertThat(mismatches).isZero();
    }

    /** Φ against Hipparchus's erfc (double precision) as the reference, over and past the range GELU meets. */
    @Test
    void normalCdfIsWithinTheFormulasFractionalErrorEverywhere() {
        double worst = 0;
        for (int i = -160_000; i <= 160_000; i++) {
            double x = i / 10_000.0; // −16 to 16: Φ from about 1e-58 to 1
            double expected = org.hipparchus.special.Erf.erfc(-x / Math.sqrt(2)) / 2;
            double actual = FloatFunctions.normalCdf(x);
            worst = Math.max(worst, Math.abs(actual - expected) / expected);
        }
        assertThat(worst).as("largest relative error").isLessThan(1.2e-7).isGreaterThan(0);
        for (double x : new double[] {-3, -0.5, 0, 0.7, 2}) {
            double expected = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            assertThat(FloatFunctions.normalDensity(x)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    /** Tabulated GELU and its slope against x Φ(x) and Φ(x) + x φ(x) with Hipparchus's erfc. */
    @Test
    void tabulatedGeluIsTheFormulasToItsOwnAccuracy() {
        SplittableRandom random = new SplittableRandom(4);
        int n = 1_000_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (24 * random.nextDouble() - 12); // the table's edges at ±10 included
        }
        x[0] = -10;
        x[1] = 10;
        x[2] = 0;
        float[] gelu = new float[n];
        float[] slope = new float[n];
        FloatFunctions.gelu(x, n, gelu, slope);
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double cdf = org.hipparchus.special.Erf.erfc(-v / Math.sqrt(2)) / 2;
            double expectedGelu = v * cdf;
            double density = Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
            double expectedSlope = cdf + v * density;
            // The formula's 1.2e-7 of Φ (in the slope, of Φ and x φ before they cancel), a float32
            // rounding, and in the far tails a tiny absolute error.
            assertThat(Math.abs(gelu[i] - expectedGelu)).as("GELU(%s)", v)
                    .isLessThanOrEqualTo(1.3e-7 * Math.abs(expectedGelu) + Math.ulp((float) expectedGelu) + 1e-12);
            assertThat(Math.abs(slope[i] - expectedSlope)).as("GELU'(%s)", v)
                    .isLessThanOrEqualTo(1.3e-7 * (cdf + Math.abs(v) * density) + Math.ulp((float) expectedSlope) + 1e-12);
        }
    }
}
