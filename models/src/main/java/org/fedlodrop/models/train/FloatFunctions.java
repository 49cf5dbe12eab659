package org.fedlodrop.models.train;

/** Element-wise functions of the java engine. */
public final class FloatFunctions {
    private FloatFunctions() {
    }

    /**
     * tanh tabulated every 1/{@value #TANH_STEPS_PER_UNIT} from 0 to {@value #TANH_EDGE}, each value followed by
     * its slope times the step, h (1 − tanh²): one cache line holds both ends of an interval with their slopes.
     */
    private static final int TANH_EDGE = 10;
    private static final int TANH_STEPS_PER_UNIT = 1024;
    private static final double TANH_STEP = 1.0 / TANH_STEPS_PER_UNIT;
    private static final double[] TANH_AND_SLOPE = new double[2 * (TANH_EDGE * TANH_STEPS_PER_UNIT + 2)];

    static {
        for (int i = 0; 2 * i < TANH_AND_SLOPE.length; i++) {
            double tanh = Math.tanh(i * TANH_STEP);
            TANH_AND_SLOPE[2 * i] = tanh;
            TANH_AND_SLOPE[2 * i + 1] = TANH_STEP * (1 - tanh * tanh);
        }
    }

    /**
     * tanh x rounded to float32, as {@code (float) Math.tanh(x)} gives it to within one unit in the last
     * place ({@code FloatFunctionsTest}), several times faster (Math.tanh is not a JIT intrinsic, and
     * even through Math.exp tanh had been an eighth of a 512-wide MLP's step): for 2⁻¹⁰ ≤ |x| < 10, cubic
     * Hermite interpolation in a table of Math.tanh with the exact slope 1 − tanh², whose error is below
     * h⁴ max|tanh⁗| / 384 ≈ 1e-14 at h = 1/1024; below, x − x³/3 is exact to float precision; beyond
     * 10, tanh rounds to ±1 in float32. The slopes times h are tabulated: h is a power of two, so
     * (p h) s rounds exactly as p (h s) does, and the values are those of computing h (1 − tanh²) per call.
     */
    public static float tanh(float x) {
        float magnitude = Math.abs(x);
        if (magnitude < 0x1p-10f) {
            return magnitude == 0 ? x : x - x * x * x / 3; // keeps the sign of −0
        }
        if (magnitude >= TANH_EDGE) {
            return Math.copySign(1f, x);
        }
        double position = magnitude * (double) TANH_STEPS_PER_UNIT;
        int i = (int) position;
        double s = position - i;
        double s2 = s * s;
        double s3 = s2 * s;
        int entry = 2 * i;
        double left = TANH_AND_SLOPE[entry];
        double leftSlope = TANH_AND_SLOPE[entry + 1];
        double right = TANH_AND_SLOPE[entry + 2];
        double rightSlope = TANH_AND_SLOPE[entry + 3];
        double value = (2 * s3 - 3 * s2 + 1) * left + (s3 - 2 * s2 + s) * leftSlope
                + (-2 * s3 + 3 * s2) * right + (s3 - s2) * rightSlope;
        return (float) Math.copySign(value, x);
    }

    private static final double INVERSE_SQRT2 = 1 / Math.sqrt(2);
    private static final double INVERSE_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /**
     * Φ(x), the standard normal distribution function, for BERT's exact GELU x Φ(x): erfc(−x/√2) / 2 with
     * erfc from the Chebyshev-fitted formula of Press et al., Numerical Recipes (2nd ed., §6.2, erfcc),
     * whose fractional error is below 1.2e-7 everywhere (so Φ is that good in its tails too, where
     * 1 − erf would lose it), in double. Java has no erf; Hipparchus's is exact to double precision but
     * some twenty times slower, at half a million calls per MiniLM sample.
     */
    static double normalCdf(double x) {
        double z = -x * INVERSE_SQRT2;
        double w = Math.abs(z);
        double t = 1 / (1 + 0.5 * w);
        double erfc = t * Math.exp(-w * w - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return (z >= 0 ? erfc : 2 - erfc) / 2;
    }

    /** φ(x), the standard normal density: GELU'(x) = Φ(x) + x φ(x). */
    static double normalDensity(double x) {
        return Math.exp(-0.5 * x * x) * INVERSE_SQRT_2PI;
    }

    /** Φ and φ tabulated every 1/{@value #STEPS_PER_UNIT} from −{@value #TABLE_EDGE} to +{@value #TABLE_EDGE}. */
    private static final int TABLE_EDGE = 10;
    private static final int STEPS_PER_UNIT = 512;
    private static final double STEP = 1.0 / STEPS_PER_UNIT;
    private static final double[] CDF = new double[2 * TABLE_EDGE * STEPS_PER_UNIT + 2];
    private static final double[] DENSITY = new double[CDF.length];

    static {
        for (int i = 0; i < CDF.length; i++) {
            double x = -TABLE_EDGE + i * STEP;
            CDF[i] = normalCdf(x);
            DENSITY[i] = normalDensity(x);
        }
    }

    /**
     * BERT's exact GELU, x Φ(x), of the first n entries of {@code x} into {@code gelu}, and its slope
     * Φ(x) + x φ(x) into {@code slope}. Φ and φ come from tables of {@link #normalCdf} and
     * {@link #normalDensity} by cubic Hermite interpolation, each with its exact derivative (φ, and
     * −x φ): interpolation error below h⁴ max|f⁗| / 384, about 1e-13 at h = 1/512, far below the formula's
     * own 1.2e-7. Two exponentials per entry were half of a MiniLM step's time. Beyond ±10, Φ is 0 or 1 and
     * φ is 0 to double precision.
     */
    public static void gelu(float[] x, int n, float[] gelu, float[] slope) {
        for (int e = 0; e < n; e++) {
            double v = x[e];
            double cdf;
            double density;
            if (v <= -TABLE_EDGE) {
                cdf = 0;
                density = 0;
            } else if (v >= TABLE_EDGE) {
                cdf = 1;
                density = 0;
            } else {
                double position = (v + TABLE_EDGE) * STEPS_PER_UNIT;
                int i = (int) position;
                double s = position - i;
                double s2 = s * s;
                double s3 = s2 * s;
                double h00 = 2 * s3 - 3 * s2 + 1;
                double h10 = s3 - 2 * s2 + s;
                double h01 = -2 * s3 + 3 * s2;
                double h11 = s3 - s2;
                double left = -TABLE_EDGE + i * STEP;
                double right = left + STEP;
                cdf = h00 * CDF[i] + h10 * STEP * DENSITY[i] + h01 * CDF[i + 1] + h11 * STEP * DENSITY[i + 1];
                density = h00 * DENSITY[i] - h10 * STEP * left * DENSITY[i] + h01 * DENSITY[i + 1]
                        - h11 * STEP * right * DENSITY[i + 1];
            }
            gelu[e] = (float) (v * cdf);
            slope[e] = (float) (cdf + v * density);
        }
    }
}
