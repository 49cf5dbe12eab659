package org.fedlodrop.models.family.bert;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.family.transformer.BlockStep;
import org.fedlodrop.models.train.DenseLinear;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.family.transformer.DenseNorm;
import org.fedlodrop.models.train.DenseTraining;
import org.fedlodrop.models.train.FloatFunctions;
import org.fedlodrop.models.train.StepBatch;
import org.fedlodrop.models.train.TokenRows;

/**
 * The {@code bert} family for {@link DenseTraining}, as {@link BertClassifier} computes it with ND4J: word,
 * position and token-type embeddings, summed and layer-normed with their affine part; per block
 * self-attention over the projections (each with its frozen bias) with the padding mask, the output
 * projection, a residual and an affine layer norm, then an exact-GELU feed-forward, a residual and an
 * affine layer norm (post-norm); mean pooling over the real tokens or the [CLS] state; the head.
 * Rows of the activations are tokens, sample by sample: (m·t) × width.
 */
final class DenseBert implements DenseModel {
    private static final float NORM_EPSILON = 1e-12f;
    private static final Projection[] PROJECTIONS = Projection.values();

    private final BlasWorkspace workspace;
    private final int tokensPerSample;
    private final int width;
    private final int heads;
    private final int feedForward;
    private final int blocks;
    private final int classes;
    private final int rank;
    private final int members;
    private final BertClassifier.Pooling pooling;
    private final float[] words;
    /** Position plus token-type (type 0) embeddings of the first t positions, t × width. */
    private final float[] positions;
    private final float[] embeddingGamma;
    private final float[] embeddingBeta;
    /** [block][projection ordinal]. */
    private final DenseLinear[][] projections;
    /** [block]: the affine parts of the norm after attention and of the norm after the feed-forward. */
    private final float[][] attentionGamma;
    private final float[][] attentionBeta;
    private final float[][] outputGamma;
    private final float[][] outputBeta;

    /** For a cohort whose member d has masks {@code masks.get(d)}. */
    DenseBert(BertClassifier model, List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        TransformerClassifier.Shape shape = model.shape();
        BertClassifier.Weights weights = model.weights();
        this.workspace = workspace;
        this.tokensPerSample = shape.maxLength();
        this.width = shape.width();
        this.heads = shape.heads();
        this.feedForward = shape.feedForward();
        this.blocks = shape.blocks();
        this.classes = shape.classes();
        this.rank = rank;
        this.members = masks.size();
        this.pooling = model.pooling();
        this.words = DenseTraining.floats(weights.words());
        float[] allPositions = DenseTraining.floats(weights.positions());
        float[] tokenType = DenseTraining.floats(weights.tokenType());
        positions = new float[tokensPerSample * width];
        for (int j = 0; j < tokensPerSample; j++) {
            for (int e = 0; e < width; e++) {
                positions[j * width + e] = allPositions[j * width + e] + tokenType[e];
            }
        }
        embeddingGamma = DenseTraining.floats(weights.embeddingNorm().gamma());
        embeddingBeta = DenseTraining.floats(weights.embeddingNorm().beta());
        Set<Projection> adapted = model.adapted();
        projections = new DenseLinear[blocks][PROJECTIONS.length];
        attentionGamma = new float[blocks][];
        attentionBeta = new float[blocks][];
        outputGamma = new float[blocks][];
        outputBeta = new float[blocks][];
        int u = 0;
        // Adapter order as BlockLora's: block by block, the adapted projections in enum order.
        for (int b = 0; b < blocks; b++) {
            BertClassifier.BlockWeights block = weights.blocks().get(b);
            for (Projection p : PROJECTIONS) {
                if (adapted.contains(p)) {
                    projections[b][p.ordinal()] = new DenseLinear(block.weight(p), block.bias(p), u, rank,
                            model.layers().get(u).scale(), masks, workspace);
                    u++;
                } else {
                    projections[b][p.ordinal()] = new DenseLinear(block.weight(p), block.bias(p), workspace);
                }
            }
            attentionGamma[b] = DenseTraining.floats(block.attentionNorm().gamma());
            attentionBeta[b] = DenseTraining.floats(block.attentionNorm().beta());
            outputGamma[b] = DenseTraining.floats(block.outputNorm().gamma());
            outputBeta[b] = DenseTraining.floats(block.outputNorm().beta());
        }
    }

    @Override
    public DenseModel.Step step(int samples) {
        return new Step(samples);
    }

    private final class Step extends BlockStep {
        private final float[] embedded;
        private final float[] embeddedNormal;
        private final float[] embeddedInverse;
        /** inputs[b]: block b's input (the embeddings' norm for block 0); inputs[blocks] the last output. */
        private final float[][] inputs;
        /** Per block, x̂ and 1/σ of its two norms, and the first norm's output (the feed-forward's input). */
        private final float[][] attentionNormal;
        private final float[][] attentionInverse;
        private final float[][] attended;
        private final float[][] outputNormal;
        private final float[][] outputInverse;
        /** Per block, GELU of the feed-forward's first projection, and GELU' there. */
        private final float[][] activated;
        private final float[][] slope;
        private final float[] residual;
        private final float[] dh;
        private final float[] dAttended;
        private final float[] dActivated;

        Step(int samples) {
            super(DenseBert.this.workspace, DenseBert.this.projections, members, DenseBert.this.tokensPerSample,
                    DenseBert.this.width, heads, DenseBert.this.classes, rank, samples);
            int rows = samples * tokensPerSample;
            embedded = new float[rows * width];
            embeddedNormal = new float[rows * width];
            embeddedInverse = new float[rows];
            inputs = new float[blocks + 1][rows * width];
            attentionNormal = new float[blocks][rows * width];
            attentionInverse = new float[blocks][rows];
            attended = new float[blocks][rows * width];
            outputNormal = new float[blocks][rows * width];
            outputInverse = new float[blocks][rows];
            activated = new float[blocks][rows * feedForward];
            slope = new float[blocks][rows * feedForward];
            residual = new float[rows * width];
            dh = new float[rows * width];
            dAttended = new float[rows * width];
            dActivated = new float[rows * feedForward];
        }

        @Override
        public float[] headInputs(StepBatch batch, float[][][] parameters) {
            int t = TokenRows.longest(batch, maxTokens, BertClassifier.PAD);
            int m = batch.total();
            int tokens = m * t;
            begin(batch, parameters, t);
            TokenRows.embed(batch, maxTokens, t, width, words, positions, BertClassifier.PAD, padding, poolWeights, embedded);
            DenseNorm.normalise(embedded, tokens, width, NORM_EPSILON, embeddedNormal, embeddedInverse);
            DenseNorm.affine(embeddedNormal, tokens, width, embeddingGamma, embeddingBeta, inputs[0]);
            for (int b = 0; b < blocks; b++) {
                forwardBlock(b, tokens, m);
            }
            float[] last = inputs[blocks];
            if (pooling == BertClassifier.Pooling.MEAN) {
                TokenRows.meanPool(last, poolWeights, m, t, width, pooled);
            } else {
                for (int s = 0; s < m; s++) {
                    System.arraycopy(last, s * t * width, pooled, s * width, width);
                }
            }
            return pooled;
        }

        @Override
        public void lossAndGradients(StepBatch batch, float[][][] parameters, boolean trainLora, double[] losses) {
            headInputs(batch, parameters);
            int t = tokensPerSample;
            int m = batch.total();
            int tokens = m * t;
            if (!head(batch, parameters, trainLora, losses)) {
                return;
            }
            if (pooling == BertClassifier.Pooling.MEAN) {
                TokenRows.meanUnpool(dPooled, poolWeights, m, t, width, dh);
            } else {
                Arrays.fill(dh, 0, tokens * width, 0);
                for (int s = 0; s < m; s++) {
                    System.arraycopy(dPooled, s * width, dh, s * t * width, width);
                }
            }
            for (int b = blocks - 1; b >= 0; b--) {
                backwardBlock(b, tokens, m);
            }
        }

        private void forwardBlock(int b, int tokens, int m) {
            float[] h = inputs[b];
            project(b, Projection.QUERY, h, query[b]);
            project(b, Projection.KEY, h, key[b]);
            project(b, Projection.VALUE, h, value[b]);
            attend(b, m);
            project(b, Projection.OUTPUT, context[b], residual);
            for (int e = 0; e < tokens * width; e++) {
                residual[e] += h[e];
            }
            DenseNorm.normalise(residual, tokens, width, NORM_EPSILON, attentionNormal[b], attentionInverse[b]);
            DenseNorm.affine(attentionNormal[b], tokens, width, attentionGamma[b], attentionBeta[b], attended[b]);
            float[] act = activated[b];
            project(b, Projection.FEED_FORWARD_IN, attended[b], act);
            FloatFunctions.gelu(act, tokens * feedForward, act, slope[b]);
            project(b, Projection.FEED_FORWARD_OUT, act, residual);
            float[] a = attended[b];
            for (int e = 0; e < tokens * width; e++) {
                residual[e] += a[e];
            }
            DenseNorm.normalise(residual, tokens, width, NORM_EPSILON, outputNormal[b], outputInverse[b]);
            DenseNorm.affine(outputNormal[b], tokens, width, outputGamma[b], outputBeta[b], inputs[b + 1]);
        }

        /** Back through block b: dh, the gradient at its output, becomes the gradient at its input. */
        private void backwardBlock(int b, int tokens, int m) {
            // Output norm: dh becomes the gradient at (feed-forward output + attended).
            DenseNorm.affineBackward(dh, tokens, width, outputGamma[b]);
            DenseNorm.backward(dh, outputNormal[b], outputInverse[b], tokens, width, dAttended, false);
            Arrays.fill(dActivated, 0, tokens * feedForward, 0);
            projectBack(b, Projection.FEED_FORWARD_OUT, dAttended, activated[b], dActivated);
            float[] derivative = slope[b];
            for (int e = 0; e < tokens * feedForward; e++) {
                dActivated[e] *= derivative[e];
            }
            // dAttended gains the feed-forward branch's gradient on top of the residual's.
            projectBack(b, Projection.FEED_FORWARD_IN, dActivated, attended[b], dAttended);
            // Attention norm: dAttended becomes the gradient at (attention output + block input), in dh.
            DenseNorm.affineBackward(dAttended, tokens, width, attentionGamma[b]);
            DenseNorm.backward(dAttended, attentionNormal[b], attentionInverse[b], tokens, width, dh, false);
            Arrays.fill(dContext, 0, tokens * width, 0);
            projectBack(b, Projection.OUTPUT, dh, context[b], dContext);
            attendBack(b, m);
            // The embeddings are frozen: below block 0 no gradient is needed. dh keeps the residual's share.
            float[] dInput = b > 0 ? dh : null;
            float[] h = inputs[b];
            projectBack(b, Projection.QUERY, dQuery, h, dInput);
            projectBack(b, Projection.KEY, dKey, h, dInput);
            projectBack(b, Projection.VALUE, dValue, h, dInput);
        }
    }
}
