package org.fedlodrop.models.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.lora.LoraMask;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic k-level quantisation of an upload against its definition: unbiased entry by entry, every value on
 * its group's grid, the mean squared error within the bound, and the bound equal to an independent sum.
 */
class StochasticQuantiserTest {
    private static final int RANK = 3;
    private static final int IN = 7;
    private static final int OUT = 5;

    private static Adapter adapter(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Adapter(List.of(gaussian(RANK, IN, random)), List.of(gaussian(OUT, RANK, random)),
                gaussian(2, OUT, random), gaussian(1, 2, random));
    }

    private static INDArray gaussian(int rows, int columns, SplittableRandom random) {
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = (float) (random.nextGaussian() * 0.3);
            }
        }
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
    }

    /** Columns 1 and 4 of A and row 2 of B dropped. */
    private static final List<LoraMask> MASKS = List.of(new LoraMask(new boolean[] {true, true, false, true, true},
            new boolean[] {true, false, true, true, false, true, true}));

    @Test
    void theMeanOfManyDrawsIsTheInputAndTheErrorStaysWithinTheBound() {
        Adapter trained = adapter(1);
        StochasticQuantiser quantiser = new StochasticQuantiser(3);
        int draws = 8_000;
        double[][] sumA = new double[RANK][IN];
        double[][] sumB = new double[OUT][RANK];
        double squaredError = 0;
        SplittableRandom random = new SplittableRandom(7);
        float[][] a = trained.a().get(0).toFloatMatrix();
        float[][] b = trained.b().get(0).toFloatMatrix();
        for (int d = 0; d < draws; d++) {
            Adapter sent = quantiser.quantise(trained, MASKS, random);
            float[][] qa = sent.a().get(0).toFloatMatrix();
            float[][] qb = sent.b().get(0).toFloatMatrix();
            for (int k = 0; k < RANK; k++) {
                for (int j = 0; j < IN; j++) {
                    sumA[k][j] += qa[k][j];
                    if (MASKS.get(0).columns()[j]) {
                        squaredError += Math.pow(qa[k][j] - a[k][j], 2);
                    }
                }
            }
            for (int i = 0; i < OUT; i++) {
                for (int k = 0; k < RANK; k++) {
                    sumB[i][k] += qb[i][k];
                    if (MASKS.get(0).rows()[i]) {
                        squaredError += Math.pow(qb[i][k] - b[i][k], 2);
                    }
                }
            }
            assertThat(sent.headWeights()).isSameAs(trained.headWeights());
        }
        double bound = quantiser.varianceBound(trained, MASKS);
        // Each entry's variance is at most the whole bound: its mean over the draws is within 6 standard errors.
        double tolerance = 6 * Math.sqrt(bound / draws) + 1e-6;
        for (int k = 0; k < RANK; k++) {
            for (int j = 0; j < IN; j++) {
                double expected = MASKS.get(0).columns()[j] ? a[k][j] : 0;
                assertThat(sumA[k][j] / draws).as("A[%d][%d]", k, j).isCloseTo(expected, within(tolerance));
            }
        }
        for (int i = 0; i < OUT; i++) {
            for (int k = 0; k < RANK; k++) {
                double expected = MASKS.get(0).rows()[i] ? b[i][k] : 0;
                assertThat(sumB[i][k] / draws).as("B[%d][%d]", i, k).isCloseTo(expected, within(tolerance));
            }
        }
        double meanSquaredError = squaredError / draws;
        assertThat(meanSquaredError).isPositive().isLessThanOrEqualTo(bound);
        // The exact variance p (1 − p) Δ² summed independently: the measured error is that, within sampling error.
        assertThat(meanSquaredError).isCloseTo(exactVariance(a, b, 3), within(0.08 * exactVariance(a, b, 3)));
    }

    @Test
    void theBoundIsTheSumOverGroupsOfTheirEntriesTimesAQuarterStepSquared() {
        Adapter trained = adapter(2);
        float[][] a = trained.a().get(0).toFloatMatrix();
        float[][] b = trained.b().get(0).toFloatMatrix();
        for (int bits : new int[] {1, 2, 4, 8, 16}) {
            double expected = 0;
            double levels = Math.pow(2, bits) - 1;
            for (int k = 0; k < RANK; k++) {
                double low = Double.MAX_VALUE;
                double high = -Double.MAX_VALUE;
                int count = 0;
                for (int j = 0; j < IN; j++) {
                    if (MASKS.get(0).columns()[j]) {
                        low = Math.min(low, a[k][j]);
                        high = Math.max(high, a[k][j]);
                        count++;
                    }
                }
                expected += count * Math.pow((high - low) / levels, 2) / 4;
                low = Double.MAX_VALUE;
                high = -Double.MAX_VALUE;
                count = 0;
                for (int i = 0; i < OUT; i++) {
                    if (MASKS.get(0).rows()[i]) {
                        low = Math.min(low, b[i][k]);
                        high = Math.max(high, b[i][k]);
                        count++;
                    }
                }
                expected += count * Math.pow((high - low) / levels, 2) / 4;
            }
            assertThat(new StochasticQuantiser(bits).varianceBound(trained, MASKS)).as("%d bits", bits)
                    .isCloseTo(expected, within(1e-12 * Math.max(1, expected)));
        }
        assertThat(new StochasticQuantiser(32).varianceBound(trained, MASKS)).isZero();
    }

    @Test
    void everyValueSentIsALevelOfItsGroupAndThirtyTwoBitsSendTheAdapterAsItIs() {
        Adapter trained = adapter(3);
        float[][] a = trained.a().get(0).toFloatMatrix();
        Adapter sent = new StochasticQuantiser(2).quantise(trained, MASKS, new SplittableRandom(5));
        float[][] qa = sent.a().get(0).toFloatMatrix();
        for (int k = 0; k < RANK; k++) {
            double low = Double.MAX_VALUE;
            double high = -Double.MAX_VALUE;
            for (int j = 0; j < IN; j++) {
                if (MASKS.get(0).columns()[j]) {
                    low = Math.min(low, a[k][j]);
                    high = Math.max(high, a[k][j]);
                }
            }
            double step = (high - low) / 3;
            for (int j = 0; j < IN; j++) {
                if (!MASKS.get(0).columns()[j]) {
                    assertThat(qa[k][j]).isZero();
                    continue;
                }
                double level = (qa[k][j] - low) / step;
                assertThat(level).isCloseTo(Math.rint(level), within(1e-4)).isBetween(-1e-4, 3 + 1e-4);
                // Rounded to a neighbouring level, never further.
                assertThat((double) Math.abs(qa[k][j] - a[k][j])).isLessThanOrEqualTo(step * (1 + 1e-5));
            }
        }
        StochasticQuantiser full = new StochasticQuantiser(32);
        assertThat(full.quantise(trained, MASKS, new SplittableRandom(5))).isSameAs(trained);
        // The same stream gives the same upload.
        assertThat(new StochasticQuantiser(2).quantise(trained, MASKS, new SplittableRandom(5)).a().get(0))
                .isEqualTo(sent.a().get(0));
    }

    /** Σ p (1 − p) Δ² over the kept entries, with p the fraction of a step above the level below. */
    private static double exactVariance(float[][] a, float[][] b, int bits) {
        double levels = Math.pow(2, bits) - 1;
        double total = 0;
        for (int k = 0; k < RANK; k++) {
            double[] rowA = new double[IN];
            boolean[] keptA = MASKS.get(0).columns();
            for (int j = 0; j < IN; j++) {
                rowA[j] = a[k][j];
            }
            total += groupVariance(rowA, keptA, levels);
            double[] columnB = new double[OUT];
            for (int i = 0; i < OUT; i++) {
                columnB[i] = b[i][k];
            }
            total += groupVariance(columnB, MASKS.get(0).rows(), levels);
        }
        return total;
    }

    private static double groupVariance(double[] values, boolean[] kept, double levels) {
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (int i = 0; i < values.length; i++) {
            if (kept[i]) {
                low = Math.min(low, values[i]);
                high = Math.max(high, values[i]);
            }
        }
        double step = (high - low) / levels;
        double variance = 0;
        for (int i = 0; i < values.length; i++) {
            if (kept[i]) {
                double position = (values[i] - low) / step;
                double p = position - Math.floor(position);
                variance += p * (1 - p) * step * step;
            }
        }
        return variance;
    }
}
