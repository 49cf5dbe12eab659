package org.fedlodrop.models.train;

import java.util.Arrays;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One frozen projection y = x W0ᵀ of a {@link DenseModel}, with LoRA when it is adapted layer u:
 * y = x W0ᵀ + s (x Âᵀ) B̂ᵀ for the masked factors of docs/model.md eqs. 1–2; backward as
 * {@link LoraLayer#backward}. Rows of x are samples (or tokens). Holds its masked factors for the
 * current step, so one instance serves one training call on one thread.
 */
final class DenseLinear {
    private final int outputs;
    private final int inputs;
    /** W0 (out×in) and W0ᵀ (in×out), row by row: the right-hand sides of dx = dy W0 and y = x W0ᵀ. */
    private final float[][] frozenRows;
    private final float[][] frozenTransposedRows;
    private final int u;
    private final int rank;
    private final float scale;
    private final float[] columnMask;
    private final float[] rowMask;
    private final float[] maskedA;
    private final float[][] maskedARows;
    private final float[] scaledB;
    private final float[][] scaledBTransposedRows;
    /** Four rows of an output, for {@link RowMajorProducts#addProductByRows}. */
    private final float[][] rows;
    /** The rows of a batch's input, for dÂ; made at the first backward pass. */
    private float[][] inputRows;

    /** A projection without LoRA. */
    DenseLinear(INDArray frozen) {
        this(frozen, -1, 0, 0, null);
    }

    /** Adapted layer u with LoRA scale s and its masks. */
    DenseLinear(INDArray frozen, int u, int rank, double scale, LoraMask mask) {
        this.outputs = (int) frozen.rows();
        this.inputs = (int) frozen.columns();
        FrozenRows rows = FrozenRows.of(frozen);
        this.frozenRows = rows.rows();
        this.frozenTransposedRows = rows.transposedRows();
        this.rows = new float[4][Math.max(outputs, inputs)];
        this.u = u;
        this.rank = rank;
        this.scale = (float) scale;
        this.columnMask = mask == null ? null : DenseTraining.mask(mask.columns());
        this.rowMask = mask == null ? null : DenseTraining.mask(mask.rows());
        this.maskedA = mask == null ? null : new float[rank * inputs];
        this.maskedARows = mask == null ? null : new float[rank][inputs];
        this.scaledB = mask == null ? null : new float[outputs * rank];
        this.scaledBTransposedRows = mask == null ? null : new float[rank][outputs];
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
                maskedARows[q][k] = maskedA[q * inputs + k];
            }
        }
        for (int j = 0; j < outputs; j++) {
            for (int q = 0; q < rank; q++) {
                float value = b[j * rank + q] * rowMask[j] * scale;
                scaledB[j * rank + q] = value;
                scaledBTransposedRows[q][j] = value;
            }
        }
    }

    /** y (m×out) = x W0ᵀ + (x Âᵀ)(s B̂)ᵀ; {@code projected} (m×r) keeps x Âᵀ for backward. */
    void forward(float[] x, int m, float[] y, float[] projected) {
        Arrays.fill(y, 0, m * outputs, 0);
        RowMajorProducts.addProductByRows(y, x, frozenTransposedRows, m, inputs, outputs, rows);
        if (u >= 0) {
            RowMajorProducts.productTransposed(projected, x, maskedA, m, inputs, rank);
            RowMajorProducts.addProductByRows(y, projected, scaledBTransposedRows, m, rank, outputs, rows);
        }
    }

    /**
     * Back from dy (m×out): files dÂ = (s dy B̂)ᵀ x and dB̂ = s dyᵀ (x Âᵀ), masked, in {@code gradients}
     * when {@code lora}, and adds dx = dy W0 + (s dy B̂) Â to {@code dx} (m×in) unless it is null.
     * {@code scratch} holds at least m×r numbers.
     */
    void backward(float[] dy, float[] x, float[] projected, int m, float[][] gradients, float[] dx, boolean lora,
                  float[] scratch) {
        boolean factors = lora && u >= 0;
        if (factors) {
            float[] dB = gradients[2 * u + 1];
            Arrays.fill(dB, 0);
            RowMajorProducts.addTransposedProduct(dB, dy, projected, m, outputs, rank);
            for (int j = 0; j < outputs; j++) {
                for (int q = 0; q < rank; q++) {
                    dB[j * rank + q] *= scale * rowMask[j];
                }
            }
            Arrays.fill(scratch, 0, m * rank, 0);
            RowMajorProducts.addProduct(scratch, dy, scaledB, m, outputs, rank);
            float[] dA = gradients[2 * u];
            Arrays.fill(dA, 0);
            if (inputRows == null || inputRows.length < m) {
                inputRows = new float[m][inputs];
            }
            RowMajorProducts.addTransposedProductByRows(dA, scratch, x, m, rank, inputs, inputRows, rows[0]);
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < inputs; k++) {
                    dA[q * inputs + k] *= columnMask[k];
                }
            }
        }
        if (dx != null) {
            RowMajorProducts.addProductByRows(dx, dy, frozenRows, m, outputs, inputs, rows);
            if (u >= 0) {
                if (!factors) {
                    Arrays.fill(scratch, 0, m * rank, 0);
                    RowMajorProducts.addProduct(scratch, dy, scaledB, m, outputs, rank);
                }
                RowMajorProducts.addProductByRows(dx, scratch, maskedARows, m, rank, inputs, rows);
            }
        }
    }
}
