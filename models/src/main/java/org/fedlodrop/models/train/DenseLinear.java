package org.fedlodrop.models.train;

import static org.fedlodrop.models.train.BlasWorkspace.LEFT;
import static org.fedlodrop.models.train.BlasWorkspace.PRODUCT;
import static org.fedlodrop.models.train.BlasWorkspace.EXTRA;
import static org.fedlodrop.models.train.BlasWorkspace.RIGHT;
import static org.fedlodrop.models.train.BlasWorkspace.SECOND;
import static org.fedlodrop.models.train.BlasWorkspace.multiply;
import static org.fedlodrop.models.train.BlasWorkspace.store;

import org.bytedeco.javacpp.FloatPointer;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One frozen projection y = x W0ᵀ of a {@link DenseModel}, with LoRA when it is adapted layer u:
 * y = x W0ᵀ + s (x Âᵀ) B̂ᵀ for the masked factors of docs/model.md eqs. 1–2; backward as
 * {@link LoraLayer#backward}. Rows of x are samples (or tokens). Every product runs in OpenBLAS
 * ({@link BlasWorkspace}), W0 straight from the model's native buffer. Holds its masked factors for the
 * current step, so one instance serves one training call on one thread.
 */
final class DenseLinear {
    private final BlasWorkspace workspace;
    private final int outputs;
    private final int inputs;
    /** Kept reachable while {@link #frozen} may point into its buffer. */
    private final INDArray frozenArray;
    /** W0 (out×in), row-major, native. */
    private final FloatPointer frozen;
    private final int u;
    private final int rank;
    private final float scale;
    private final float[] columnMask;
    private final float[] rowMask;
    /** Â (r×in) and s B̂ (out×r) of the current step, in Java and native. */
    private final float[] maskedA;
    private final float[] scaledB;
    private final FloatPointer nativeA;
    private final FloatPointer nativeB;

    /** A projection without LoRA. */
    DenseLinear(INDArray frozen, BlasWorkspace workspace) {
        this(frozen, -1, 0, 0, null, workspace);
    }

    /** Adapted layer u with LoRA scale s and its masks. */
    DenseLinear(INDArray frozen, int u, int rank, double scale, LoraMask mask, BlasWorkspace workspace) {
        this.workspace = workspace;
        this.outputs = (int) frozen.rows();
        this.inputs = (int) frozen.columns();
        this.frozenArray = frozen;
        this.frozen = workspace.frozen(frozen);
        this.u = u;
        this.rank = rank;
        this.scale = (float) scale;
        boolean adapted = mask != null;
        this.columnMask = adapted ? DenseTraining.mask(mask.columns()) : null;
        this.rowMask = adapted ? DenseTraining.mask(mask.rows()) : null;
        this.maskedA = adapted ? new float[rank * inputs] : null;
        this.scaledB = adapted ? new float[outputs * rank] : null;
        this.nativeA = adapted ? workspace.allocate((long) rank * inputs) : null;
        this.nativeB = adapted ? workspace.allocate((long) outputs * rank) : null;
    }

    int outputs() {
        return outputs;
    }

    int inputs() {
        return inputs;
    }

    boolean adapted() {
        return u >= 0;
    }

    /** Its adapter index u (its factors are parameters 2u and 2u + 1), or −1 without LoRA. */
    int layer() {
        return u;
    }

    /** Â = A ⊙ column mask and s B̂ = s B ⊙ row mask from this step's parameters. */
    void prepare(float[][] parameters) {
        if (u < 0) {
            return;
        }
        float[] a = parameters[2 * u];
        float[] b = parameters[2 * u + 1];
        for (int q = 0; q < rank; q++) {
            for (int k = 0; k < inputs; k++) {
                maskedA[q * inputs + k] = a[q * inputs + k] * columnMask[k];
            }
        }
        for (int j = 0; j < outputs; j++) {
            for (int q = 0; q < rank; q++) {
                scaledB[j * rank + q] = b[j * rank + q] * rowMask[j] * scale;
            }
        }
        nativeA.put(maskedA, 0, maskedA.length);
        nativeB.put(scaledB, 0, scaledB.length);
    }

    /** y (m×out) = x W0ᵀ + (x Âᵀ)(s B̂)ᵀ; {@code projected} (m×r) keeps x Âᵀ for backward. */
    void forward(float[] x, int m, float[] y, float[] projected) {
        FloatPointer input = workspace.load(LEFT, x, m * inputs);
        FloatPointer output = workspace.stage(PRODUCT, (long) m * outputs);
        multiply(false, true, m, outputs, inputs, 1, input, inputs, frozen, inputs, 0, output, outputs);
        if (u >= 0) {
            FloatPointer down = workspace.stage(EXTRA, (long) m * rank);
            multiply(false, true, m, rank, inputs, 1, input, inputs, nativeA, inputs, 0, down, rank);
            store(down, projected, m * rank);
            multiply(false, true, m, outputs, rank, 1, down, rank, nativeB, rank, 1, output, outputs);
        }
        store(output, y, m * outputs);
    }

    /**
     * Back from dy (m×out): files dÂ = (s dy B̂)ᵀ x and dB̂ = s dyᵀ (x Âᵀ), masked, in {@code gradients}
     * when {@code lora}, and adds dx = dy W0 + (s dy B̂) Â to {@code dx} (m×in) unless it is null.
     */
    void backward(float[] dy, float[] x, float[] projected, int m, float[][] gradients, float[] dx, boolean lora) {
        boolean factors = lora && u >= 0;
        FloatPointer gradient = workspace.load(LEFT, dy, m * outputs);
        FloatPointer upGradient = null;
        if (u >= 0 && (factors || dx != null)) {
            upGradient = workspace.stage(EXTRA, (long) m * rank);
            multiply(false, false, m, rank, outputs, 1, gradient, outputs, nativeB, rank, 0, upGradient, rank);
        }
        if (factors) {
            float[] dB = gradients[2 * u + 1];
            FloatPointer down = workspace.load(SECOND, projected, m * rank);
            FloatPointer product = workspace.stage(PRODUCT, Math.max((long) outputs * rank, (long) rank * inputs));
            multiply(true, false, outputs, rank, m, 1, gradient, outputs, down, rank, 0, product, rank);
            store(product, dB, outputs * rank);
            for (int j = 0; j < outputs; j++) {
                for (int q = 0; q < rank; q++) {
                    dB[j * rank + q] *= scale * rowMask[j];
                }
            }
            float[] dA = gradients[2 * u];
            FloatPointer input = workspace.load(RIGHT, x, m * inputs);
            multiply(true, false, rank, inputs, m, 1, upGradient, rank, input, inputs, 0, product, inputs);
            store(product, dA, rank * inputs);
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < inputs; k++) {
                    dA[q * inputs + k] *= columnMask[k];
                }
            }
        }
        if (dx != null) {
            FloatPointer dInput = workspace.load(PRODUCT, dx, m * inputs);
            multiply(false, false, m, inputs, outputs, 1, gradient, outputs, frozen, inputs, 1, dInput, inputs);
            if (u >= 0) {
                multiply(false, false, m, inputs, rank, 1, upGradient, rank, nativeA, inputs, 1, dInput, inputs);
            }
            store(dInput, dx, m * inputs);
        }
    }
}
