package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained sub-adapter as it travels at q bits per parameter: stochastic k-level quantisation with k = 2^q
 * levels spread evenly between the least and the greatest value of each group, a value rounded to the level
 * below or above with the probabilities that keep it unbiased (Suresh, Yu, Kumar and McMahan, "Distributed
 * Mean Estimation with Limited Communication", ICML 2017, §3, stochastic k-level quantisation). The groups
 * are the rank directions: each row of A_u (over its kept columns) and each column of B_u (over its kept rows),
 * so a group's two bounds travel with it (2 × 32 bits, not counted in eq. 5's payload: under 1 % of it at
 * q = 8 on the profiles' layers). Dropped entries stay exactly zero and the head travels in full precision.
 *
 * <p>E[Q(x)] = x entry by entry, and a value at distance p Δ above its level below (p in [0, 1]) has variance
 * p (1 − p) Δ² ≤ Δ²/4, with Δ = (max − min)/(k − 1) of its group; {@link #varianceBound} sums that bound.
 * At q = 32 nothing is rounded: float32 values are sent as they are.
 */
public final class StochasticQuantiser {
    /** Float32 itself: no rounding. */
    public static final int FULL_PRECISION = 32;

    private final int bits;

    /** @param bits q, 1 to 32 */
    public StochasticQuantiser(int bits) {
        if (bits < 1 || bits > FULL_PRECISION) {
            throw new IllegalArgumentException("expected 1 to " + FULL_PRECISION + " bits, got " + bits);
        }
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** Whether the adapter travels as it is (q = 32). */
    public boolean exact() {
        return bits == FULL_PRECISION;
    }

    /**
     * The sub-adapter the server receives for {@code trained} under {@code masks} (one per adapted layer), its
     * roundings drawn from {@code random} layer by layer, A before B, group by group in order.
     */
    public Adapter quantise(Adapter trained, List<LoraMask> masks, RandomGenerator random) {
        if (exact()) {
            return trained;
        }
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < trained.layers(); u++) {
            LoraMask mask = masks.get(u);
            a.add(quantiseA(trained.a().get(u), mask, random));
            b.add(quantiseB(trained.b().get(u), mask, random));
        }
        return new Adapter(a, b, trained.headWeights(), trained.headBias());
    }

    /** Σ over groups of their kept entries × Δ²/4: a bound on E‖Q(x) − x‖² over the adapter's factors. */
    public double varianceBound(Adapter trained, List<LoraMask> masks) {
        if (exact()) {
            return 0;
        }
        double bound = 0;
        for (int u = 0; u < trained.layers(); u++) {
            LoraMask mask = masks.get(u);
            float[][] a = trained.a().get(u).castTo(DataType.FLOAT).toFloatMatrix();
            for (float[] row : a) {
                bound += groupBound(row, mask.columns());
            }
            float[][] b = trained.b().get(u).castTo(DataType.FLOAT).toFloatMatrix();
            for (int k = 0; k < b[0].length; k++) {
                bound += groupBound(column(b, k), mask.rows());
            }
        }
        return bound;
    }

    private double groupBound(float[] values, boolean[] kept) {
        double[] range = range(values, kept);
        double step = (range[1] - range[0]) / levelsMinusOne();
        return range[2] * step * step / 4;
    }

    private INDArray quantiseA(INDArray factor, LoraMask mask, RandomGenerator random) {
        float[][] a = factor.castTo(DataType.FLOAT).toFloatMatrix();
        for (float[] row : a) {
            round(row, mask.columns(), random);
        }
        return Nd4j.createFromArray(a).castTo(factor.dataType());
    }

    private INDArray quantiseB(INDArray factor, LoraMask mask, RandomGenerator random) {
        float[][] b = factor.castTo(DataType.FLOAT).toFloatMatrix();
        for (int k = 0; k < b[0].length; k++) {
            float[] column = column(b, k);
            round(column, mask.rows(), random);
            for (int i = 0; i < b.length; i++) {
                b[i][k] = column[i];
            }
        }
        return Nd4j.createFromArray(b).castTo(factor.dataType());
    }

    /** Rounds the kept values of one group in place; the dropped ones are set to exactly zero. */
    private void round(float[] values, boolean[] kept, RandomGenerator random) {
        double[] range = range(values, kept);
        double low = range[0];
        double step = (range[1] - low) / levelsMinusOne();
        for (int i = 0; i < values.length; i++) {
            if (!kept[i]) {
                values[i] = 0f;
            } else if (step > 0) {
                double position = (values[i] - low) / step;
                // The level below, at most the second greatest: rounding in position never leaves [min, max].
                double below = Math.min(Math.floor(position), levelsMinusOne() - 1);
                double level = random.nextDouble() < position - below ? below + 1 : below;
                values[i] = (float) (low + level * step);
            }
        }
    }

    private double levelsMinusOne() {
        return Math.scalb(1.0, bits) - 1;
    }

    /** {least, greatest, count} of the kept values; {0, 0, 0} when none is kept. */
    private static double[] range(float[] values, boolean[] kept) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (kept[i]) {
                low = Math.min(low, values[i]);
                high = Math.max(high, values[i]);
                count++;
            }
        }
        return count == 0 ? new double[] {0, 0, 0} : new double[] {low, high, count};
    }

    private static float[] column(float[][] matrix, int k) {
        float[] column = new float[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            column[i] = matrix[i][k];
        }
        return column;
    }
}
