package org.fedlodrop.models.family.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-head scaled dot-product self-attention over padded sequences, and mean pooling over their
 * real tokens, with their backward passes: what the {@code transformer} and {@code bert} families
 * share. Rows of the inputs are tokens, sample by sample: (n·t) × width. Attention runs as batched
 * matrix products over (sample × head); padding keys get a bias of −1e9, so no token attends to them.
 */
public final class SelfAttention {
    private SelfAttention() {
    }

    /** What backward needs: queries, keys and values split into heads, the probabilities, and the merged context. */
    public record Forward(INDArray q, INDArray k, INDArray v, INDArray probabilities, INDArray context) {
    }

    /** Gradients of the projected queries, keys and values, merged back to (n·t) × width. */
    public record Backward(INDArray query, INDArray key, INDArray value) {
    }

    /** softmax(Q Kᵀ / √d + key bias) V, head by head. */
    public static Forward forward(INDArray query, INDArray key, INDArray value, INDArray keyBias, int n, int t, int heads) {
        int width = (int) query.columns();
        INDArray q = splitHeads(query, n, t, heads);
        INDArray k = splitHeads(key, n, t, heads);
        INDArray v = splitHeads(value, n, t, heads);
        double invSqrt = 1 / Math.sqrt(width / (double) heads);
        INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(invSqrt)
                .reshape((long) n * heads * t, t).addi(keyBias);
        INDArray shifted = scores.subiColumnVector(scores.max(true, 1));
        INDArray e = Transforms.exp(shifted, false);
        INDArray probabilities = e.diviColumnVector(e.sum(true, 1));
        INDArray context = mergeHeads(Nd4j.matmul(probabilities.reshape((long) n * heads, t, t), v, false, false, false),
                n, t, heads, width);
        return new Forward(q, k, v, probabilities, context);
    }

    public static Backward backward(Forward f, INDArray dContext, int n, int t, int heads) {
        int width = (int) dContext.columns();
        INDArray dCtx = splitHeads(dContext, n, t, heads);
        long batches = (long) n * heads;
        INDArray p3 = f.probabilities().reshape(batches, t, t);
        INDArray dP = Nd4j.matmul(dCtx, f.v(), false, true, false).reshape(batches * t, t);
        INDArray dV = Nd4j.matmul(p3, dCtx, true, false, false);
        INDArray rowDot = dP.mul(f.probabilities()).sum(true, 1);
        double invSqrt = 1 / Math.sqrt(width / (double) heads);
        INDArray dScores = dP.subiColumnVector(rowDot).muli(f.probabilities()).muli(invSqrt).reshape(batches, t, t);
        INDArray dQ = Nd4j.matmul(dScores, f.k(), false, false, false);
        INDArray dK = Nd4j.matmul(dScores, f.q(), true, false, false);
        return new Backward(mergeHeads(dQ, n, t, heads, width), mergeHeads(dK, n, t, heads, width),
                mergeHeads(dV, n, t, heads, width));
    }

    /** (n·heads·t) × t: 0 for a real key, −1e9 for a padding key. */
    public static INDArray keyBias(int[] ids, int pad, int n, int t, int heads, DataType dataType) {
        double[] values = new double[n * heads * t * t];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < t; j++) {
                if (ids[s * t + j] == pad) {
                    for (int head = 0; head < heads; head++) {
                        for (int i = 0; i < t; i++) {
                            values[(((s * heads + head) * t) + i) * t + j] = -1e9;
                        }
                    }
                }
            }
        }
        return Nd4j.createFromArray(values).reshape((long) n * heads * t, t).castTo(dataType);
    }

    /** (n·t) × 1: 1 / (the sample's real tokens) for a real token, 0 for padding. */
    public static INDArray poolWeights(int[] ids, int pad, int n, int t, DataType dataType) {
        double[] values = new double[n * t];
        for (int s = 0; s < n; s++) {
            int real = 0;
            for (int j = 0; j < t; j++) {
                real += ids[s * t + j] == pad ? 0 : 1;
            }
            for (int j = 0; j < t; j++) {
                values[s * t + j] = ids[s * t + j] == pad ? 0 : 1.0 / real;
            }
        }
        return Nd4j.createFromArray(values).reshape((long) n * t, 1).castTo(dataType);
    }

    /** Mean over each sample's real tokens: weight the rows, then sum each sample's t rows. */
    public static INDArray pool(INDArray rows, INDArray poolWeights, int n, int t) {
        return rows.mulColumnVector(poolWeights).reshape(n, t, rows.columns()).sum(1);
    }

    /** Back through {@link #pool}: each token row gets its sample's gradient, weighted as it was pooled. */
    public static INDArray unpool(INDArray dPooled, INDArray poolWeights, int n, int t) {
        int[] sampleOfRow = new int[n * t];
        for (int i = 0; i < sampleOfRow.length; i++) {
            sampleOfRow[i] = i / t;
        }
        return Nd4j.pullRows(dPooled, 1, sampleOfRow).muliColumnVector(poolWeights);
    }

    /** (n·t) × width → (n·heads) × t × headWidth. */
    private static INDArray splitHeads(INDArray x, int n, int t, int heads) {
        int hw = (int) x.columns() / heads;
        return x.reshape(n, t, heads, hw).permute(0, 2, 1, 3).dup('c').reshape((long) n * heads, t, hw);
    }

    private static INDArray mergeHeads(INDArray x, int n, int t, int heads, int width) {
        int hw = width / heads;
        return x.reshape(n, heads, t, hw).permute(0, 2, 1, 3).dup('c').reshape((long) n * t, width);
    }
}
