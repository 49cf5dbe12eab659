package org.fedlodrop.models.family.transformer;

import static org.fedlodrop.models.train.BlasWorkspace.CONTEXT;
import static org.fedlodrop.models.train.BlasWorkspace.KEY;
import static org.fedlodrop.models.train.BlasWorkspace.LEFT;
import static org.fedlodrop.models.train.BlasWorkspace.QUERY;
import static org.fedlodrop.models.train.BlasWorkspace.RIGHT;
import static org.fedlodrop.models.train.BlasWorkspace.SCORES;
import static org.fedlodrop.models.train.BlasWorkspace.SCORE_GRADIENTS;
import static org.fedlodrop.models.train.BlasWorkspace.VALUE;
import static org.fedlodrop.models.train.BlasWorkspace.at;
import static org.fedlodrop.models.train.BlasWorkspace.multiply;
import static org.fedlodrop.models.train.BlasWorkspace.store;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.fedlodrop.models.train.BlasWorkspace;

/**
 * Multi-head self-attention for the {@link DenseModel}s of the transformer families, forward and back:
 * softmax(Q Kᵀ / √(d/h) + key bias) V per sample and head, padding keys biased by −1e9 (as
 * {@code SelfAttention} with ND4J). Rows of q, k, v are tokens, sample by sample: (m·t) × d, head h in
 * columns h·d/h to (h + 1)·d/h. One instance serves one training call on one thread.
 */
final class DenseAttention {
    /**
     * Whether attention's per-head products go to OpenBLAS: from t·(d/h) = {@value #LIBRARY_ATTENTION_FEWEST}
     * entries per head block on. Measured on the 2-core reference machine: the text workload (t 16, 8-wide
     * heads: 128) trained at 7,300 samples/s in loops against 3,300 in OpenBLAS; the 512-wide transformer
     * (t 64, 64-wide heads: 4,096) at 45 samples/s in OpenBLAS against 27 in loops.
     */
    static final int LIBRARY_ATTENTION_FEWEST = 1024;

    private final BlasWorkspace workspace;
    /** The longest sample the buffers hold. */
    private final int maxTokens;
    /** The current step's tokens per sample (its longest text: {@link #tokens}). */
    private int tokensPerSample;
    private final int width;
    private final int heads;
    private final int headWidth;
    private final HeadRows headRows;
    /** dP, then dS, of every sample and head, laid out as the probabilities. */
    private final float[] dScores;

    /** For batches of up to {@code samples} samples of t tokens, d wide, in h heads. */
    DenseAttention(BlasWorkspace workspace, int tokensPerSample, int width, int heads, int samples) {
        this.workspace = workspace;
        this.maxTokens = tokensPerSample;
        this.tokensPerSample = tokensPerSample;
        this.width = width;
        this.heads = heads;
        this.headWidth = width / heads;
        this.headRows = new HeadRows();
        this.dScores = new float[samples * heads * maxTokens * maxTokens];
    }

    /** The tokens per sample of the steps that follow, at most the buffers' (dynamic padding). */
    void tokens(int t) {
        if (t < 1 || t > maxTokens) {
            throw new IllegalArgumentException(t + " tokens per sample, expected 1 to " + maxTokens);
        }
        tokensPerSample = t;
    }

    /** Whether the current length's per-head products go to OpenBLAS ({@link #LIBRARY_ATTENTION_FEWEST}). */
    private boolean inLibrary() {
        return tokensPerSample * headWidth >= LIBRARY_ATTENTION_FEWEST;
    }

    /** Entries of the probabilities of {@code samples} samples: t × t per sample and head. */
    static int probabilities(int samples, int heads, int tokensPerSample) {
        return samples * heads * tokensPerSample * tokensPerSample;
    }

    /**
     * context = softmax(q kᵀ / √(d/h) + key bias) v for m samples; keeps the probabilities (t × t per
     * sample and head) for {@link #backward}.
     */
    void forward(float[] query, float[] key, float[] value, boolean[] padding, int m, float[] probabilities,
                 float[] context) {
        if (inLibrary()) {
            forwardInLibrary(query, key, value, padding, m, probabilities, context);
        } else {
            forwardInLoops(query, key, value, padding, m, probabilities, context);
        }
    }

    /** From dContext to dQuery, dKey, dValue (written over), with the forward pass's probabilities. */
    void backward(float[] query, float[] key, float[] value, float[] probabilities, float[] dContext, int m,
                  float[] dQuery, float[] dKey, float[] dValue) {
        if (inLibrary()) {
            backwardInLibrary(query, key, value, probabilities, dContext, m, dQuery, dKey, dValue);
        } else {
            backwardInLoops(query, key, value, probabilities, dContext, m, dQuery, dKey, dValue);
        }
    }

    /**
     * context = softmax(q kᵀ / √d + key bias) v, sample by sample and head by head: each head's scores
     * and its weighted values are products of t×(d/h) blocks of q, k and v in OpenBLAS; the softmax
     * runs here, over every row at once.
     */
    private void forwardInLibrary(float[] query, float[] key, float[] value, boolean[] padding, int m,
                                 float[] probabilities, float[] context) {
        int t = tokensPerSample;
        int tokens = m * t;
        int pairs = m * heads;
        float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
        float[] p = probabilities;
        FloatPointer q = workspace.load(QUERY, query, tokens * width);
        FloatPointer k = workspace.load(KEY, key, tokens * width);
        FloatPointer scores = workspace.stage(SCORES, (long) pairs * t * t);
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                long block = (long) s * t * width + head * headWidth;
                multiply(false, true, t, t, headWidth, inverseSqrt, at(q, block), width, at(k, block), width,
                        0, at(scores, pairOffset(s, head)), t);
            }
        }
        store(scores, p, pairs * t * t);
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                for (int i = 0; i < t; i++) {
                    int row = (int) pairOffset(s, head) + i * t;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        float score = p[row + j] + (padding[s * t + j] ? -1e9f : 0);
                        p[row + j] = score;
                        max = Math.max(max, score);
                    }
                    float sum = 0;
                    for (int j = 0; j < t; j++) {
                        float e = (float) Math.exp(p[row + j] - max);
                        p[row + j] = e;
                        sum += e;
                    }
                    for (int j = 0; j < t; j++) {
                        p[row + j] /= sum;
                    }
                }
            }
        }
        FloatPointer weights = workspace.load(SCORES, p, pairs * t * t);
        FloatPointer v = workspace.load(VALUE, value, tokens * width);
        FloatPointer c = workspace.stage(CONTEXT, (long) tokens * width);
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                long block = (long) s * t * width + head * headWidth;
                multiply(false, false, t, headWidth, t, 1, at(weights, pairOffset(s, head)), t, at(v, block), width,
                        0, at(c, block), width);
            }
        }
        store(c, context, tokens * width);
    }

    /** Where the t×t scores of sample s and a head begin. */
    private long pairOffset(int s, int head) {
        return ((long) s * heads + head) * tokensPerSample * tokensPerSample;
    }

    /**
     * From dContext: dP = dC vᵀ, dv = Pᵀ dC, dS = P ⊙ (dP − rowsum(dP ⊙ P)) / √d, dq = dS k, dk = dSᵀ q,
     * head by head, into dQuery, dKey, dValue; the products in OpenBLAS as in {@link #forwardInLibrary}. Each
     * head's block of dq, dk and dv is written by one product, so nothing needs clearing first.
     */
    private void backwardInLibrary(float[] query, float[] key, float[] value, float[] probabilities,
                                  float[] dContext, int m, float[] dQuery, float[] dKey, float[] dValue) {
        int t = tokensPerSample;
        int tokens = m * t;
        int pairs = m * heads;
        float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
        float[] p = probabilities;
        FloatPointer dC = workspace.load(CONTEXT, dContext, tokens * width);
        FloatPointer v = workspace.load(VALUE, value, tokens * width);
        FloatPointer weights = workspace.load(SCORES, p, pairs * t * t);
        FloatPointer dP = workspace.stage(SCORE_GRADIENTS, (long) pairs * t * t);
        FloatPointer dV = workspace.stage(LEFT, (long) tokens * width);
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                long block = (long) s * t * width + head * headWidth;
                long pair = pairOffset(s, head);
                multiply(false, true, t, t, headWidth, 1, at(dC, block), width, at(v, block), width,
                        0, at(dP, pair), t);
                multiply(true, false, t, headWidth, t, 1, at(weights, pair), t, at(dC, block), width,
                        0, at(dV, block), width);
            }
        }
        store(dV, dValue, tokens * width);
        store(dP, dScores, pairs * t * t);
        for (int row = 0; row < pairs * t; row++) {
            int from = row * t;
            float rowDot = 0;
            for (int j = 0; j < t; j++) {
                rowDot += dScores[from + j] * p[from + j];
            }
            for (int j = 0; j < t; j++) {
                dScores[from + j] = (dScores[from + j] - rowDot) * p[from + j] * inverseSqrt;
            }
        }
        FloatPointer dS = workspace.load(SCORE_GRADIENTS, dScores, pairs * t * t);
        FloatPointer q = workspace.load(QUERY, query, tokens * width);
        FloatPointer k = workspace.load(KEY, key, tokens * width);
        FloatPointer dQ = workspace.stage(LEFT, (long) tokens * width);
        FloatPointer dK = workspace.stage(RIGHT, (long) tokens * width);
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                long block = (long) s * t * width + head * headWidth;
                long pair = pairOffset(s, head);
                multiply(false, false, t, headWidth, t, 1, at(dS, pair), t, at(k, block), width,
                        0, at(dQ, block), width);
                multiply(true, false, t, headWidth, t, 1, at(dS, pair), t, at(q, block), width,
                        0, at(dK, block), width);
            }
        }
        store(dQ, dQuery, tokens * width);
        store(dK, dKey, tokens * width);
    }

    /**
     * As {@link #forwardInLibrary}, in loops here: for narrow heads, whose products are too small for a
     * library call to pay (the text workload's 8-wide heads ran at half the speed through OpenBLAS).
     * Each head's block is first copied into rows of its own ({@link HeadRows}) so that every inner
     * loop is an axpy over arrays indexed from 0, which HotSpot's C2 turns into SIMD instructions
     * (strided dot products, as written before, ran scalar).
     */
    private void forwardInLoops(float[] query, float[] key, float[] value, boolean[] padding, int m,
                                float[] probabilities, float[] context) {
        int t = tokensPerSample;
        float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
        float[] p = probabilities;
        float[] c = context;
        HeadRows rows = headRows;
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                int column = head * headWidth;
                rows.gather(query, s, column, rows.query, null);
                rows.gather(key, s, column, null, rows.keyColumns);
                rows.gather(value, s, column, rows.value, null);
                int pair = (int) pairOffset(s, head);
                for (int i = 0; i < t; i++) {
                    float[] score = rows.score;
                    Arrays.fill(score, 0);
                    float[] q = rows.query[i];
                    for (int e = 0; e < headWidth; e++) {
                        axpy(score, q[e], rows.keyColumns[e], t);
                    }
                    int row = pair + i * t;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        float biased = score[j] * inverseSqrt + (padding[s * t + j] ? -1e9f : 0);
                        score[j] = biased;
                        max = Math.max(max, biased);
                    }
                    float sum = 0;
                    for (int j = 0; j < t; j++) {
                        float e = (float) Math.exp(score[j] - max);
                        score[j] = e;
                        sum += e;
                    }
                    float[] out = rows.output[i];
                    Arrays.fill(out, 0);
                    for (int j = 0; j < t; j++) {
                        float weight = score[j] / sum;
                        p[row + j] = weight;
                        axpy(out, weight, rows.value[j], headWidth);
                    }
                }
                rows.scatter(rows.output, c, s, column);
            }
        }
    }

    /** As {@link #backwardInLibrary}, in loops here, for narrow heads ({@link #forwardInLoops}). */
    private void backwardInLoops(float[] query, float[] key, float[] value, float[] probabilities,
                                 float[] dContext, int m, float[] dQuery, float[] dKey, float[] dValue) {
        int t = tokensPerSample;
        float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
        float[] p = probabilities;
        HeadRows rows = headRows;
        for (int s = 0; s < m; s++) {
            for (int head = 0; head < heads; head++) {
                int column = head * headWidth;
                rows.gather(query, s, column, rows.query, null);
                rows.gather(key, s, column, rows.key, null);
                rows.gather(value, s, column, null, rows.valueColumns);
                rows.gather(dContext, s, column, rows.output, null);
                for (float[] row : rows.dQuery) {
                    Arrays.fill(row, 0);
                }
                for (float[] row : rows.dKey) {
                    Arrays.fill(row, 0);
                }
                for (float[] row : rows.dValue) {
                    Arrays.fill(row, 0);
                }
                int pair = (int) pairOffset(s, head);
                for (int i = 0; i < t; i++) {
                    int row = pair + i * t;
                    float[] dC = rows.output[i];
                    float[] dP = rows.score;
                    Arrays.fill(dP, 0);
                    for (int e = 0; e < headWidth; e++) {
                        axpy(dP, dC[e], rows.valueColumns[e], t);
                    }
                    float rowDot = 0;
                    for (int j = 0; j < t; j++) {
                        rowDot += dP[j] * p[row + j];
                    }
                    float[] dQ = rows.dQuery[i];
                    float[] q = rows.query[i];
                    for (int j = 0; j < t; j++) {
                        float weight = p[row + j];
                        axpy(rows.dValue[j], weight, dC, headWidth);
                        float dS = (dP[j] - rowDot) * weight * inverseSqrt;
                        axpy(dQ, dS, rows.key[j], headWidth);
                        axpy(rows.dKey[j], dS, q, headWidth);
                    }
                }
                rows.scatter(rows.dQuery, dQuery, s, column);
                rows.scatter(rows.dKey, dKey, s, column);
                rows.scatter(rows.dValue, dValue, s, column);
            }
        }
    }

    /** y[0..n) += factor · x[0..n): over arrays indexed from 0, so that C2 vectorises it. */
    private static void axpy(float[] y, float factor, float[] x, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += factor * x[j];
        }
    }

    /** One sample's and head's t×(d/h) blocks as rows of their own (or as columns, transposed), for the loops. */
    private final class HeadRows {
        final float[][] query = new float[maxTokens][headWidth];
        final float[][] key = new float[maxTokens][headWidth];
        final float[][] value = new float[maxTokens][headWidth];
        final float[][] keyColumns = new float[headWidth][maxTokens];
        final float[][] valueColumns = new float[headWidth][maxTokens];
        /** The output (context), or dContext going back. */
        final float[][] output = new float[maxTokens][headWidth];
        final float[][] dQuery = new float[maxTokens][headWidth];
        final float[][] dKey = new float[maxTokens][headWidth];
        final float[][] dValue = new float[maxTokens][headWidth];
        final float[] score = new float[maxTokens];

        /** Sample s's block at {@code column} of a (tokens×width) array into {@code rows}, or transposed into {@code columns}. */
        void gather(float[] from, int s, int column, float[][] rows, float[][] columns) {
            int t = tokensPerSample;
            for (int i = 0; i < t; i++) {
                int offset = (s * t + i) * width + column;
                if (rows != null) {
                    System.arraycopy(from, offset, rows[i], 0, headWidth);
                } else {
                    for (int e = 0; e < headWidth; e++) {
                        columns[e][i] = from[offset + e];
                    }
                }
            }
        }

        /** Rows back into sample s's block at {@code column} of a (tokens×width) array. */
        void scatter(float[][] rows, float[] to, int s, int column) {
            for (int i = 0; i < tokensPerSample; i++) {
                System.arraycopy(rows[i], 0, to, (s * tokensPerSample + i) * width + column, headWidth);
            }
        }
    }
}
