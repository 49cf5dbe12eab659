package org.fedlodrop.models.family.transformer;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.train.DenseLinear;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.train.DenseTraining;
import org.fedlodrop.models.train.StepBatch;
import org.fedlodrop.models.train.TokenRows;

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
    private final int feedForward;
    private final int blocks;
    private final int classes;
    private final int rank;
    private final int members;
    private final float[] tokenEmbeddings;
    private final float[] positionEmbeddings;
    /** [block][projection ordinal]. */
    private final DenseLinear[][] projections;

    /** For a cohort whose member d has masks {@code masks.get(d)}. */
    DenseTransformer(TransformerClassifier model, List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        TransformerClassifier.Shape shape = model.shape();
        this.workspace = workspace;
        this.tokensPerSample = shape.maxLength();
        this.width = shape.width();
        this.heads = shape.heads();
        this.feedForward = shape.feedForward();
        this.blocks = shape.blocks();
        this.classes = shape.classes();
        this.rank = rank;
        this.members = masks.size();
        this.tokenEmbeddings = DenseTraining.floats(model.weights().tokens());
        this.positionEmbeddings = DenseTraining.floats(model.weights().positions());
        Set<Projection> adapted = model.adapted();
        projections = new DenseLinear[blocks][PROJECTIONS.length];
        int u = 0;
        // Adapter order as BlockLora's: block by block, the adapted projections in enum order.
        for (int b = 0; b < blocks; b++) {
            for (Projection p : PROJECTIONS) {
                if (adapted.contains(p)) {
                    projections[b][p.ordinal()] = new DenseLinear(model.weights().get(b, p), null, u, rank,
                            model.layers().get(u).scale(), masks, workspace);
                    u++;
                } else {
                    projections[b][p.ordinal()] = new DenseLinear(model.weights().get(b, p), null, workspace);
                }
            }
        }
    }

    @Override
    public DenseModel.Step step(int samples) {
        return new Step(samples);
    }

    private final class Step extends BlockStep {
        private final float[] h;
        private final float[] out;
        private final float[][] norm1;
        private final float[][] norm1Inverse;
        private final float[][] norm2;
        private final float[][] norm2Inverse;
        private final float[][] hidden;
        private final float[] finalNorm;
        private final float[] finalInverse;
        private final float[] dh;
        private final float[] dTemporary;
        private final float[] dHidden;

        Step(int samples) {
            super(DenseTransformer.this.workspace, DenseTransformer.this.projections, members,
                    DenseTransformer.this.tokensPerSample, DenseTransformer.this.width, heads,
                    DenseTransformer.this.classes, rank, samples);
            int rows = samples * tokensPerSample;
            h = new float[rows * width];
            out = new float[rows * width];
            norm1 = new float[blocks][rows * width];
            norm1Inverse = new float[blocks][rows];
            norm2 = new float[blocks][rows * width];
            norm2Inverse = new float[blocks][rows];
            hidden = new float[blocks][rows * feedForward];
            finalNorm = new float[rows * width];
            finalInverse = new float[rows];
            dh = new float[rows * width];
            dTemporary = new float[rows * width];
            dHidden = new float[rows * feedForward];
        }

        @Override
        public float[] headInputs(StepBatch batch, float[][][] parameters) {
            int t = TokenRows.longest(batch, maxTokens, TransformerClassifier.PAD);
            int m = batch.total();
            int tokens = m * t;
            begin(batch, parameters, t);
            TokenRows.embed(batch, maxTokens, t, width, tokenEmbeddings, positionEmbeddings, TransformerClassifier.PAD, padding,
                    poolWeights, h);
            for (int b = 0; b < blocks; b++) {
                forwardBlock(b, tokens, m);
            }
            DenseNorm.normalise(h, tokens, width, NORM_EPSILON, finalNorm, finalInverse);
            TokenRows.meanPool(finalNorm, poolWeights, m, t, width, pooled);
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
            TokenRows.meanUnpool(dPooled, poolWeights, m, t, width, dTemporary);
            DenseNorm.backward(dTemporary, finalNorm, finalInverse, tokens, width, dh, false);
            for (int b = blocks - 1; b >= 0; b--) {
                backwardBlock(b, tokens, m);
            }
        }

        private void forwardBlock(int b, int tokens, int m) {
            DenseNorm.normalise(h, tokens, width, NORM_EPSILON, norm1[b], norm1Inverse[b]);
            project(b, Projection.QUERY, norm1[b], query[b]);
            project(b, Projection.KEY, norm1[b], key[b]);
            project(b, Projection.VALUE, norm1[b], value[b]);
            attend(b, m);
            project(b, Projection.OUTPUT, context[b], out);
            for (int e = 0; e < tokens * width; e++) {
                h[e] += out[e];
            }
            DenseNorm.normalise(h, tokens, width, NORM_EPSILON, norm2[b], norm2Inverse[b]);
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
            DenseNorm.backward(dTemporary, norm2[b], norm2Inverse[b], tokens, width, dh, true);
            // Attention branch: dh is now the gradient at the attention residual's output.
            Arrays.fill(dContext, 0, tokens * width, 0);
            projectBack(b, Projection.OUTPUT, dh, context[b], dContext);
            attendBack(b, m);
            // Below the lowest block nothing trains: its inputs' gradient is not needed.
            float[] dInput = b > 0 ? dTemporary : null;
            if (dInput != null) {
                Arrays.fill(dInput, 0, tokens * width, 0);
            }
            projectBack(b, Projection.QUERY, dQuery, norm1[b], dInput);
            projectBack(b, Projection.KEY, dKey, norm1[b], dInput);
            projectBack(b, Projection.VALUE, dValue, norm1[b], dInput);
            if (dInput != null) {
                DenseNorm.backward(dInput, norm1[b], norm1Inverse[b], tokens, width, dh, true);
            }
        }
    }
}
