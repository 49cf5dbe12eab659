package org.fedlodrop.models.train;

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
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.TransformerClassifier;
import org.fedlodrop.models.net.TransformerClassifier.Projection;

/**
 * The {@code transformer} family for {@link DenseTraining}, as {@link TransformerClassifier} computes it
 * with ND4J: token plus position embeddings; per block a layer norm (no affine part), multi-head
 * softmax(Q Kᵀ / √d + key bias) V with the output projection and a residual, a layer norm, a ReLU MLP
 * and a residual; a final layer norm, the mean over each sample's real tokens, the head. Padding keys
 * get a bias of −1e9. Rows of the activations are tokens, sample by sample: (m·t) × width.
 */
final class DenseTransformer implements DenseModel {
    private static final float NORM_EPSILON = 1e-5f;
    private static final Projection[] PROJECTIONS = Projection.values();

    private final BlasWorkspace workspace;
    private final int tokensPerSample;
    private final int width;
    private final int heads;
    private final int headWidth;
    private final int feedForward;
    private final int blocks;
    private final int classes;
    private final int rank;
    private final int members;
    private final float[] tokenEmbeddings;
    private final float[] positionEmbeddings;
    /**
     * Whether attention's per-head products go to OpenBLAS: from t·(d/h) = {@value #LIBRARY_ATTENTION_FEWEST}
     * entries per head block on. Measured on the 2-core reference machine: the text workload (t 16, 8-wide
     * heads: 128) trained at 7,300 samples/s in loops against 3,300 in OpenBLAS; the 512-wide transformer
     * (t 64, 64-wide heads: 4,096) at 45 samples/s in OpenBLAS against 27 in loops.
     */
    static final int LIBRARY_ATTENTION_FEWEST = 1024;
    private final boolean attentionInLibrary;
    /** [block][projection ordinal]. */
    private final DenseLinear[][] projections;

    /** For a cohort whose member d has masks {@code masks.get(d)}. */
    DenseTransformer(TransformerClassifier model, List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        TransformerClassifier.Shape shape = model.shape();
        this.workspace = workspace;
        this.tokensPerSample = shape.maxLength();
        this.width = shape.width();
        this.heads = shape.heads();
        this.headWidth = width / heads;
        this.feedForward = shape.feedForward();
        this.blocks = shape.blocks();
        this.classes = shape.classes();
        this.rank = rank;
        this.members = masks.size();
        this.attentionInLibrary = tokensPerSample * headWidth >= LIBRARY_ATTENTION_FEWEST;
        this.tokenEmbeddings = DenseTraining.floats(model.weights().tokens());
        this.positionEmbeddings = DenseTraining.floats(model.weights().positions());
        Set<Projection> adapted = model.adapted();
        projections = new DenseLinear[blocks][PROJECTIONS.length];
        int u = 0;
        // Adapter order as BlockLora's: block by block, the adapted projections in enum order.
        for (int b = 0; b < blocks; b++) {
            for (Projection p : PROJECTIONS) {
                projections[b][p.ordinal()] = adapted.contains(p)
                        ? new DenseLinear(model.weights().get(b, p), u, rank, model.layers().get(u).scale(),
                                layerMasks(masks, u++), workspace)
                        : new DenseLinear(model.weights().get(b, p), workspace);
            }
        }
    }

    /** Every member's masks of adapted layer u. */
    private static List<LoraMask> layerMasks(List<List<LoraMask>> masks, int u) {
        return masks.stream().map(memberMasks -> memberMasks.get(u)).toList();
    }

    @Override
    public DenseModel.Step step(int samples) {
        return new Step(samples);
    }

    private final class Step implements DenseModel.Step {
        private final int[] ids;
        private final boolean[] padding;
        private final float[] poolWeights;
        private final float[] h;
        private final float[] out;
        private final float[][] norm1;
        private final float[][] norm1Inverse;
        private final float[][] query;
        private final float[][] key;
        private final float[][] value;
        private final float[][] probabilities;
        private final float[][] context;
        private final float[][] norm2;
        private final float[][] norm2Inverse;
        private final float[][] hidden;
        /** [block][projection ordinal]: x Âᵀ of an adapted projection. */
        private final float[][][] projected;
        private final float[] finalNorm;
        private final float[] finalInverse;
        private final float[] pooled;
        private final float[] logits;
        /** [member][parameter]. */
        private final float[][][] gradients;
        /** The members taking part in the current step, and their tokens' boundaries in the stacked rows. */
        private int[] stepMembers;
        private int[] tokenStarts;
        private final float[] dh;
        private final float[] dTemporary;
        private final float[] dHidden;
        private final float[] dContext;
        private final float[] dQuery;
        private final float[] dKey;
        private final float[] dValue;
        private final float[] dPooled;
        private final HeadRows headRows = new HeadRows();
        /** dP, then dS, of every sample and head, laid out as the probabilities. */
        private final float[] dScores;

        Step(int batch) { // batch: samples in all
            int rows = batch * tokensPerSample;
            ids = new int[rows];
            padding = new boolean[rows];
            poolWeights = new float[rows];
            h = new float[rows * width];
            out = new float[rows * width];
            norm1 = new float[blocks][rows * width];
            norm1Inverse = new float[blocks][rows];
            query = new float[blocks][rows * width];
            key = new float[blocks][rows * width];
            value = new float[blocks][rows * width];
            probabilities = new float[blocks][batch * heads * tokensPerSample * tokensPerSample];
            context = new float[blocks][rows * width];
            norm2 = new float[blocks][rows * width];
            norm2Inverse = new float[blocks][rows];
            hidden = new float[blocks][rows * feedForward];
            projected = new float[blocks][PROJECTIONS.length][];
            int count = 0;
            for (int b = 0; b < blocks; b++) {
                for (Projection p : PROJECTIONS) {
                    if (projections[b][p.ordinal()].adapted()) {
                        projected[b][p.ordinal()] = new float[rows * rank];
                        count++;
                    }
                }
            }
            finalNorm = new float[rows * width];
            finalInverse = new float[rows];
            pooled = new float[batch * width];
            logits = new float[batch * classes];
            gradients = new float[members][2 * count + 2][];
            for (float[][] member : gradients) {
                for (int b = 0; b < blocks; b++) {
                    for (Projection p : PROJECTIONS) {
                        DenseLinear linear = projections[b][p.ordinal()];
                        if (linear.adapted()) {
                            int u = linear.layer();
                            member[2 * u] = new float[rank * linear.inputs()];
                            member[2 * u + 1] = new float[linear.outputs() * rank];
                        }
                    }
                }
                member[2 * count] = new float[classes * width];
                member[2 * count + 1] = new float[classes];
            }
            dh = new float[rows * width];
            dTemporary = new float[rows * width];
            dHidden = new float[rows * feedForward];
            dContext = new float[rows * width];
            dQuery = new float[rows * width];
            dKey = new float[rows * width];
            dValue = new float[rows * width];
            dPooled = new float[batch * width];
            dScores = new float[batch * heads * tokensPerSample * tokensPerSample];
        }

        @Override
        public float[][] gradients(int member) {
            return gradients[member];
        }

        @Override
        public int headWidth() {
            return width;
        }

        @Override
        public float[] headInputs(StepBatch batch, float[][][] parameters) {
            int t = tokensPerSample;
            int m = batch.total();
            int tokens = m * t;
            stepMembers = batch.members();
            tokenStarts = batch.starts(t);
            embed(batch);
            for (int b = 0; b < blocks; b++) {
                for (DenseLinear linear : projections[b]) {
                    linear.prepare(stepMembers, parameters);
                }
                forwardBlock(b, tokens, m);
            }
            layerNorm(h, tokens, finalNorm, finalInverse);
            Arrays.fill(pooled, 0, m * width, 0);
            for (int r = 0; r < tokens; r++) {
                float weight = poolWeights[r];
                int sample = (r / t) * width;
                for (int e = 0; e < width; e++) {
                    pooled[sample + e] += weight * finalNorm[r * width + e];
                }
            }
            return pooled;
        }

        @Override
        public void lossAndGradients(StepBatch batch, float[][][] parameters, boolean trainLora, double[] losses) {
            int t = tokensPerSample;
            int m = batch.total();
            int tokens = m * t;
            headInputs(batch, parameters);
            int head = gradients[0].length - 2;
            for (int i = 0; i < batch.size(); i++) {
                int d = batch.members()[i];
                losses[i] = DenseHead.lossAndGradients(pooled, batch.starts()[i], batch.size(i), width, classes,
                        parameters[d][head], parameters[d][head + 1], batch.labels()[i], logits, gradients[d][head],
                        gradients[d][head + 1]);
            }
            if (!trainLora) {
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                DenseHead.inputGradient(logits, parameters[batch.members()[i]][head], batch.starts()[i], batch.size(i),
                        classes, width, dPooled);
            }
            for (int r = 0; r < tokens; r++) {
                float weight = poolWeights[r];
                int sample = (r / t) * width;
                for (int e = 0; e < width; e++) {
                    dTemporary[r * width + e] = dPooled[sample + e] * weight;
                }
            }
            layerNormBackward(dTemporary, finalNorm, finalInverse, tokens, dh, false);
            for (int b = blocks - 1; b >= 0; b--) {
                backwardBlock(b, tokens, m);
            }
        }

        /** y = x's projection {@code which} of block b (with each member's LoRA), keeping x Âᵀ. */
        private void project(int b, Projection which, float[] x, float[] y) {
            projections[b][which.ordinal()].forward(x, stepMembers, tokenStarts, y, projected[b][which.ordinal()]);
        }

        /** Back through projection {@code which} of block b: each member's LoRA gradients, and dx += (unless null). */
        private void projectBack(int b, Projection which, float[] dy, float[] x, float[] dx) {
            projections[b][which.ordinal()].backward(dy, x, projected[b][which.ordinal()], stepMembers, tokenStarts,
                    gradients, dx, true);
        }

        /** Token ids of the batch (padding with id 0), their embeddings plus positions into h, and pooling weights. */
        private void embed(StepBatch batch) {
            int t = tokensPerSample;
            for (int member = 0; member < batch.size(); member++) {
                float[] features = batch.features()[member];
                int[] rows = batch.rows()[member];
                for (int k = 0; k < batch.size(member); k++) {
                    int i = batch.starts()[member] + k;
                    int real = 0;
                    for (int j = 0; j < t; j++) {
                        int id = (int) features[rows[k] * t + j];
                        int r = i * t + j;
                        ids[r] = id;
                        padding[r] = id == TransformerClassifier.PAD;
                        real += padding[r] ? 0 : 1;
                        for (int e = 0; e < width; e++) {
                            h[r * width + e] = tokenEmbeddings[id * width + e] + positionEmbeddings[j * width + e];
                        }
                    }
                    for (int j = 0; j < t; j++) {
                        poolWeights[i * t + j] = padding[i * t + j] ? 0 : 1f / real;
                    }
                }
            }
        }

        private void forwardBlock(int b, int tokens, int m) {
            layerNorm(h, tokens, norm1[b], norm1Inverse[b]);
            project(b, Projection.QUERY, norm1[b], query[b]);
            project(b, Projection.KEY, norm1[b], key[b]);
            project(b, Projection.VALUE, norm1[b], value[b]);
            if (attentionInLibrary) {
                attention(b, m);
            } else {
                attentionInLoops(b, m);
            }
            project(b, Projection.OUTPUT, context[b], out);
            for (int e = 0; e < tokens * width; e++) {
                h[e] += out[e];
            }
            layerNorm(h, tokens, norm2[b], norm2Inverse[b]);
            float[] hid = hidden[b];
            project(b, Projection.FEED_FORWARD_IN, norm2[b], hid);
            for (int e = 0; e < tokens * feedForward; e++) {
                hid[e] = Math.max(hid[e], 0);
            }
            project(b, Projection.FEED_FORWARD_OUT, hid, out);
            for (int e = 0; e < tokens * width; e++) {
                h[e] += out[e];
            }
        }

        /**
         * context = softmax(q kᵀ / √d + key bias) v, sample by sample and head by head: each head's scores
         * and its weighted values are products of t×(d/h) blocks of q, k and v in OpenBLAS; the softmax
         * runs here, over every row at once.
         */
        private void attention(int b, int m) {
            int t = tokensPerSample;
            int tokens = m * t;
            int pairs = m * heads;
            float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
            float[] p = probabilities[b];
            FloatPointer q = workspace.load(QUERY, query[b], tokens * width);
            FloatPointer k = workspace.load(KEY, key[b], tokens * width);
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
            FloatPointer v = workspace.load(VALUE, value[b], tokens * width);
            FloatPointer c = workspace.stage(CONTEXT, (long) tokens * width);
            for (int s = 0; s < m; s++) {
                for (int head = 0; head < heads; head++) {
                    long block = (long) s * t * width + head * headWidth;
                    multiply(false, false, t, headWidth, t, 1, at(weights, pairOffset(s, head)), t, at(v, block), width,
                            0, at(c, block), width);
                }
            }
            store(c, context[b], tokens * width);
        }

        /** Where the t×t scores of sample s and a head begin. */
        private long pairOffset(int s, int head) {
            return ((long) s * heads + head) * tokensPerSample * tokensPerSample;
        }

        private void backwardBlock(int b, int tokens, int m) {
            // MLP branch: dh is the gradient at the block's output (attended + MLP).
            Arrays.fill(dHidden, 0, tokens * feedForward, 0);
            projectBack(b, Projection.FEED_FORWARD_OUT, dh, hidden[b], dHidden);
            float[] hid = hidden[b];
            for (int e = 0; e < tokens * feedForward; e++) {
                if (hid[e] <= 0) {
                    dHidden[e] = 0; // ReLU' (ND4J's step: 1 where the input is above 0)
                }
            }
            Arrays.fill(dTemporary, 0, tokens * width, 0);
            projectBack(b, Projection.FEED_FORWARD_IN, dHidden, norm2[b], dTemporary);
            layerNormBackward(dTemporary, norm2[b], norm2Inverse[b], tokens, dh, true);
            // Attention branch: dh is now the gradient at the attention residual's output.
            Arrays.fill(dContext, 0, tokens * width, 0);
            projectBack(b, Projection.OUTPUT, dh, context[b], dContext);
            if (attentionInLibrary) {
                attentionBackward(b, m);
            } else {
                attentionBackwardInLoops(b, m);
            }
            // Below the lowest block nothing trains: its inputs' gradient is not needed.
            float[] dInput = b > 0 ? dTemporary : null;
            if (dInput != null) {
                Arrays.fill(dInput, 0, tokens * width, 0);
            }
            projectBack(b, Projection.QUERY, dQuery, norm1[b], dInput);
            projectBack(b, Projection.KEY, dKey, norm1[b], dInput);
            projectBack(b, Projection.VALUE, dValue, norm1[b], dInput);
            if (dInput != null) {
                layerNormBackward(dInput, norm1[b], norm1Inverse[b], tokens, dh, true);
            }
        }

        /**
         * From dContext: dP = dC vᵀ, dv = Pᵀ dC, dS = P ⊙ (dP − rowsum(dP ⊙ P)) / √d, dq = dS k, dk = dSᵀ q,
         * head by head, into dQuery, dKey, dValue; the products in OpenBLAS as in {@link #attention}. Each
         * head's block of dq, dk and dv is written by one product, so nothing needs clearing first.
         */
        private void attentionBackward(int b, int m) {
            int t = tokensPerSample;
            int tokens = m * t;
            int pairs = m * heads;
            float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
            float[] p = probabilities[b];
            FloatPointer dC = workspace.load(CONTEXT, dContext, tokens * width);
            FloatPointer v = workspace.load(VALUE, value[b], tokens * width);
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
            FloatPointer q = workspace.load(QUERY, query[b], tokens * width);
            FloatPointer k = workspace.load(KEY, key[b], tokens * width);
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
         * As {@link #attention}, in loops here: for narrow heads, whose products are too small for a
         * library call to pay (the text workload's 8-wide heads ran at half the speed through OpenBLAS).
         * Each head's block is first copied into rows of its own ({@link HeadRows}) so that every inner
         * loop is an axpy over arrays indexed from 0, which HotSpot's C2 turns into SIMD instructions
         * (strided dot products, as written before, ran scalar).
         */
        private void attentionInLoops(int b, int m) {
            int t = tokensPerSample;
            float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
            float[] p = probabilities[b];
            float[] c = context[b];
            HeadRows rows = headRows;
            for (int s = 0; s < m; s++) {
                for (int head = 0; head < heads; head++) {
                    int column = head * headWidth;
                    rows.gather(query[b], s, column, rows.query, null);
                    rows.gather(key[b], s, column, null, rows.keyColumns);
                    rows.gather(value[b], s, column, rows.value, null);
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
                            float value = score[j] * inverseSqrt + (padding[s * t + j] ? -1e9f : 0);
                            score[j] = value;
                            max = Math.max(max, value);
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

        /** As {@link #attentionBackward}, in loops here, for narrow heads ({@link #attentionInLoops}). */
        private void attentionBackwardInLoops(int b, int m) {
            int t = tokensPerSample;
            float inverseSqrt = (float) (1 / Math.sqrt(headWidth));
            float[] p = probabilities[b];
            HeadRows rows = headRows;
            for (int s = 0; s < m; s++) {
                for (int head = 0; head < heads; head++) {
                    int column = head * headWidth;
                    rows.gather(query[b], s, column, rows.query, null);
                    rows.gather(key[b], s, column, rows.key, null);
                    rows.gather(value[b], s, column, null, rows.valueColumns);
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

        /** Row-wise layer norm without affine part: out = (x − mean) / √(var + ε), keeping 1/√(var + ε). */
        private void layerNorm(float[] x, int tokens, float[] output, float[] inverse) {
            for (int r = 0; r < tokens; r++) {
                int row = r * width;
                float mean = 0;
                for (int e = 0; e < width; e++) {
                    mean += x[row + e];
                }
                mean /= width;
                float variance = 0;
                for (int e = 0; e < width; e++) {
                    float centred = x[row + e] - mean;
                    output[row + e] = centred;
                    variance += centred * centred;
                }
                variance /= width;
                float inv = (float) (1 / Math.sqrt(variance + NORM_EPSILON));
                inverse[r] = inv;
                for (int e = 0; e < width; e++) {
                    output[row + e] *= inv;
                }
            }
        }

        /** dx = (dy − mean(dy) − x̂ mean(dy ⊙ x̂)) / σ, written to dx, or added to it when {@code add}. */
        private void layerNormBackward(float[] dy, float[] normalised, float[] inverse, int tokens, float[] dx,
                                       boolean add) {
            for (int r = 0; r < tokens; r++) {
                int row = r * width;
                float meanDy = 0;
                float meanDyX = 0;
                for (int e = 0; e < width; e++) {
                    meanDy += dy[row + e];
                    meanDyX += dy[row + e] * normalised[row + e];
                }
                meanDy /= width;
                meanDyX /= width;
                for (int e = 0; e < width; e++) {
                    float value = (dy[row + e] - meanDy - normalised[row + e] * meanDyX) * inverse[r];
                    dx[row + e] = add ? dx[row + e] + value : value;
                }
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
        final float[][] query = new float[tokensPerSample][headWidth];
        final float[][] key = new float[tokensPerSample][headWidth];
        final float[][] value = new float[tokensPerSample][headWidth];
        final float[][] keyColumns = new float[headWidth][tokensPerSample];
        final float[][] valueColumns = new float[headWidth][tokensPerSample];
        /** The output (context), or dContext going back. */
        final float[][] output = new float[tokensPerSample][headWidth];
        final float[][] dQuery = new float[tokensPerSample][headWidth];
        final float[][] dKey = new float[tokensPerSample][headWidth];
        final float[][] dValue = new float[tokensPerSample][headWidth];
        final float[] score = new float[tokensPerSample];

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
