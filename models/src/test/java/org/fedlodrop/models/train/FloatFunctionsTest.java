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
}
