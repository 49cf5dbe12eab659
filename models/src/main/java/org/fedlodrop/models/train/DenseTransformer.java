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
                projections[b][p.ordinal()] = adapted.contains(p)
                        ? new DenseLinear(model.weights().get(b, p), null, u, rank, model.layers().get(u).scale(),
                                layerMasks(masks, u++), workspace)
                        : new DenseLinear(model.weights().get(b, p), null, workspace);
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
        private final DenseAttention attention;

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
            attention = new DenseAttention(workspace, tokensPerSample, width, heads, batch);
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
            DenseNorm.normalise(h, tokens, width, NORM_EPSILON, finalNorm, finalInverse);
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
                losses[i] = DenseHead.lossAndGradients(workspace, pooled, batch.starts()[i], batch.size(i), width, classes,
                        parameters[d][head], parameters[d][head + 1], batch.labels()[i], logits, gradients[d][head],
                        gradients[d][head + 1]);
            }
            if (!trainLora) {
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                DenseHead.inputGradient(workspace, logits, parameters[batch.members()[i]][head], batch.starts()[i], batch.size(i),
                        classes, width, dPooled);
            }
            for (int r = 0; r < tokens; r++) {
                float weight = poolWeights[r];
                int sample = (r / t) * width;
                for (int e = 0; e < width; e++) {
                    dTemporary[r * width + e] = dPooled[sample + e] * weight;
                }
            }
            DenseNorm.backward(dTemporary, finalNorm, finalInverse, tokens, width, dh, false);
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
            DenseNorm.normalise(h, tokens, width, NORM_EPSILON, norm1[b], norm1Inverse[b]);
            project(b, Projection.QUERY, norm1[b], query[b]);
            project(b, Projection.KEY, norm1[b], key[b]);
            project(b, Projection.VALUE, norm1[b], value[b]);
            attention.forward(query[b], key[b], value[b], padding, m, probabilities[b], context[b]);
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
            attention.backward(query[b], key[b], value[b], probabilities[b], dContext, m, dQuery, dKey, dValue);
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
