package org.fedlodrop.models.train;

import static org.fedlodrop.models.train.BlasWorkspace.EXTRA;
import static org.fedlodrop.models.train.BlasWorkspace.LEFT;
import static org.fedlodrop.models.train.BlasWorkspace.PRODUCT;
import static org.fedlodrop.models.train.BlasWorkspace.RIGHT;
import static org.fedlodrop.models.train.BlasWorkspace.SECOND;
import static org.fedlodrop.models.train.BlasWorkspace.at;
import static org.fedlodrop.models.train.BlasWorkspace.multiply;
import static org.fedlodrop.models.train.BlasWorkspace.store;

import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One frozen projection y = x W0ᵀ of a {@link DenseModel}, with LoRA when it is adapted layer u:
 * y = x W0ᵀ (+ b) + s (x Âᵀ) B̂ᵀ for the masked factors of docs/model.md eqs. 1–2; backward as
 * {@link LoraLayer#backward}. Rows of x are samples (or tokens) of the members of a cohort, stacked: the
 * frozen products run once over all of them, each member's LoRA terms on its own rows with its own
 * masks and factors. Every product runs in OpenBLAS ({@link BlasWorkspace}), W0 straight from the
 * model's native buffer. Holds the masked factors of the current step, so one instance serves one
 * training call on one thread.
 */
public final class DenseLinear {
    private final BlasWorkspace workspace;
    private final int outputs;
    private final int inputs;
    /** Kept reachable while {@link #frozen} may point into its buffer. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final INDArray frozenArray;
    /** W0 (out×in), row-major, native. */
    private final FloatPointer frozen;
    /** The frozen bias b (out), or null: y = x W0ᵀ + b + LoRA. */
    private final float[] bias;
    private final int u;
    private final int rank;
    private final float scale;
    /** Per member: its masks, and Â (r×in) and s B̂ (out×r) of the current step in Java and native. */
    private final float[][] columnMask;
    private final float[][] rowMask;
    private final float[][] maskedA;
    private final float[][] scaledB;
    private final FloatPointer[] nativeA;
    private final FloatPointer[] nativeB;

    /** A projection without LoRA, and with the frozen bias {@code bias} (1×out) unless it is null. */
    public DenseLinear(INDArray frozen, INDArray bias, BlasWorkspace workspace) {
        this(frozen, bias, -1, 0, 0, List.of(), workspace);
    }

    /**
     * Adapted layer u with LoRA scale s, and the frozen bias unless it is null; member d's masks of it are
     * {@code cohortMasks.get(d).get(u)}.
     */
    public DenseLinear(INDArray frozen, INDArray bias, int u, int rank, double scale, List<List<LoraMask>> cohortMasks,
                BlasWorkspace workspace) {
        this.workspace = workspace;
        this.bias = bias == null ? null : DenseTraining.floats(bias);
        this.outputs = (int) frozen.rows();
        this.inputs = (int) frozen.columns();
        this.frozenArray = frozen;
        this.frozen = workspace.frozen(frozen);
        this.u = u;
        this.rank = rank;
        this.scale = (float) scale;
        List<LoraMask> masks = cohortMasks.stream().map(memberMasks -> memberMasks.get(u)).toList();
        int members = masks.size();
        columnMask = new float[members][];
        rowMask = new float[members][];
        maskedA = new float[members][];
        scaledB = new float[members][];
        nativeA = new FloatPointer[members];
        nativeB = new FloatPointer[members];
        for (int d = 0; d < members; d++) {
            columnMask[d] = DenseTraining.mask(masks.get(d).columns());
            rowMask[d] = DenseTraining.mask(masks.get(d).rows());
            maskedA[d] = new float[rank * inputs];
            scaledB[d] = new float[outputs * rank];
            nativeA[d] = workspace.allocate((long) rank * inputs);
            nativeB[d] = workspace.allocate((long) outputs * rank);
        }
    }

    public int outputs() {
        return outputs;
    }

    public int inputs() {
        return inputs;
    }

    public boolean adapted() {
        return u >= 0;
    }

    /** Its adapter index u (its factors are parameters 2u and 2u + 1), or −1 without LoRA. */
    int layer() {
        return u;
    }

    /** Â = A ⊙ column mask and s B̂ = s B ⊙ row mask of each member taking part, from its parameters. */
    public void prepare(int[] members, float[][][] parameters) {
        if (u < 0) {
            return;
        }
        for (int d : members) {
            float[] a = parameters[d][2 * u];
            float[] b = parameters[d][2 * u + 1];
            float[] columns = columnMask[d];
            float[] rows = rowMask[d];
            float[] masked = maskedA[d];
            float[] scaled = scaledB[d];
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < inputs; k++) {
                    masked[q * inputs + k] = a[q * inputs + k] * columns[k];
                }
            }
            for (int j = 0; j < outputs; j++) {
                for (int q = 0; q < rank; q++) {
                    scaled[j * rank + q] = b[j * rank + q] * rows[j] * scale;
                }
            }
            nativeA[d].put(masked, 0, masked.length);
            nativeB[d].put(scaled, 0, scaled.length);
        }
    }

    /**
     * y = x W0ᵀ + (x Âᵀ)(s B̂)ᵀ over the stacked rows of x, member {@code members[i]}'s being rows
     * {@code starts[i]} to {@code starts[i + 1]}; {@code projected} (rows×r) keeps x Âᵀ for backward.
     */
    public void forward(float[] x, int[] members, int[] starts, float[] y, float[] projected) {
        int m = starts[members.length];
        FloatPointer input = workspace.load(LEFT, x, m * inputs);
        FloatPointer output = workspace.stage(PRODUCT, (long) m * outputs);
        multiply(false, true, m, outputs, inputs, 1, input, inputs, frozen, inputs, 0, output, outputs);
        if (u >= 0) {
            FloatPointer down = workspace.stage(EXTRA, (long) m * rank);
            for (int i = 0; i < members.length; i++) {
                int d = members[i];
                int from = starts[i];
                int rows = starts[i + 1] - from;
                FloatPointer memberDown = at(down, (long) from * rank);
                multiply(false, true, rows, rank, inputs, 1, at(input, (long) from * inputs), inputs, nativeA[d], inputs,
                        0, memberDown, rank);
                multiply(false, true, rows, outputs, rank, 1, memberDown, rank, nativeB[d], rank,
                        1, at(output, (long) from * outputs), outputs);
            }
            store(down, projected, m * rank);
        }
        store(output, y, m * outputs);
        if (bias != null) {
            for (int i = 0; i < m; i++) {
                int row = i * outputs;
                for (int j = 0; j < outputs; j++) {
                    y[row + j] += bias[j];
                }
            }
        }
    }

    /**
     * Back from dy (rows×out), rows stacked as in {@link #forward}: files each member's dÂ = (s dy B̂)ᵀ x and
     * dB̂ = s dyᵀ (x Âᵀ) over its rows, masked, in its {@code gradients} when {@code lora}, and adds
     * dx = dy W0 + (s dy B̂) Â to {@code dx} (rows×in) unless it is null.
     */
    public void backward(float[] dy, float[] x, float[] projected, int[] members, int[] starts, float[][][] gradients,
                  float[] dx, boolean lora) {
        int m = starts[members.length];
        boolean factors = lora && u >= 0;
        FloatPointer gradient = workspace.load(LEFT, dy, m * outputs);
        FloatPointer upGradient = null;
        if (u >= 0 && (factors || dx != null)) {
            upGradient = workspace.stage(EXTRA, (long) m * rank);
            for (int i = 0; i < members.length; i++) {
                int from = starts[i];
                multiply(false, false, starts[i + 1] - from, rank, outputs, 1, at(gradient, (long) from * outputs),
                        outputs, nativeB[members[i]], rank, 0, at(upGradient, (long) from * rank), rank);
            }
        }
        if (factors) {
            FloatPointer down = workspace.load(SECOND, projected, m * rank);
            FloatPointer input = workspace.load(RIGHT, x, m * inputs);
            FloatPointer product = workspace.stage(PRODUCT, Math.max((long) outputs * rank, (long) rank * inputs));
            for (int i = 0; i < members.length; i++) {
                int d = members[i];
                int from = starts[i];
                int rows = starts[i + 1] - from;
                float[] dB = gradients[d][2 * u + 1];
                multiply(true, false, outputs, rank, rows, 1, at(gradient, (long) from * outputs), outputs,
                        at(down, (long) from * rank), rank, 0, product, rank);
                store(product, dB, outputs * rank);
                float[] keptRows = rowMask[d];
                for (int j = 0; j < outputs; j++) {
                    for (int q = 0; q < rank; q++) {
                        dB[j * rank + q] *= scale * keptRows[j];
                    }
                }
                float[] dA = gradients[d][2 * u];
                multiply(true, false, rank, inputs, rows, 1, at(upGradient, (long) from * rank), rank,
                        at(input, (long) from * inputs), inputs, 0, product, inputs);
                store(product, dA, rank * inputs);
                float[] keptColumns = columnMask[d];
                for (int q = 0; q < rank; q++) {
                    for (int k = 0; k < inputs; k++) {
                        dA[q * inputs + k] *= keptColumns[k];
                    }
                }
            }
        }
        if (dx != null) {
            FloatPointer dInput = workspace.load(PRODUCT, dx, m * inputs);
            multiply(false, false, m, inputs, outputs, 1, gradient, outputs, frozen, inputs, 1, dInput, inputs);
            if (u >= 0) {
                for (int i = 0; i < members.length; i++) {
                    int from = starts[i];
                    multiply(false, false, starts[i + 1] - from, inputs, rank, 1, at(upGradient, (long) from * rank), rank,
                            nativeA[members[i]], inputs, 1, at(dInput, (long) from * inputs), inputs);
                }
            }
            store(dInput, dx, m * inputs);
        }
    }
}
