package org.fedlodrop.models.family.transformer;

import java.util.Arrays;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.train.DenseHead;
import org.fedlodrop.models.train.DenseLinear;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.train.StepBatch;

/**
 * What a training step of the transformer families ({@link DenseTransformer}, {@link DenseBert}) shares:
 * the blocks' projections run for the step's members, self-attention and its saved activations per
 * block, the trained head on the pooled rows, and the buffers of all of these, sized for the most
 * samples a step of the call takes. Rows are tokens, sample by sample: (m·t) × width.
 */
public abstract class BlockStep implements DenseModel.Step {
    protected final BlasWorkspace workspace;
    /** [block][projection ordinal]. */
    protected final DenseLinear[][] projections;
    /** The longest sample the buffers hold: the model's maximum length. */
    protected final int maxTokens;
    /**
     * The current step's tokens per sample: its longest text, not the maximum length (dynamic padding). Padding
     * keys get no attention and padding rows no pooling weight, so the rows cut off change nothing but the
     * shapes, and with them the order of float summation in the library's products.
     */
    protected int tokensPerSample;
    protected final int width;
    protected final int classes;
    protected final boolean[] padding;
    protected final float[] poolWeights;
    /** [block]: the attention's q, k, v, probabilities and context. */
    protected final float[][] query;
    protected final float[][] key;
    protected final float[][] value;
    protected final float[][] probabilities;
    protected final float[][] context;
    /** [block][projection ordinal]: x Âᵀ of an adapted projection. */
    protected final float[][][] projected;
    protected final float[] pooled;
    protected final float[] dPooled;
    protected final float[] dContext;
    protected final float[] dQuery;
    protected final float[] dKey;
    protected final float[] dValue;
    private final float[] logits;
    /** [member][parameter]. */
    private final float[][][] gradients;
    private final DenseAttention attention;
    /** The members taking part in the current step, and their tokens' boundaries in the stacked rows. */
    private int[] stepMembers;
    private int[] tokenStarts;

    protected BlockStep(BlasWorkspace workspace, DenseLinear[][] projections, int members, int tokensPerSample, int width,
              int heads, int classes, int rank, int samples) {
        this.workspace = workspace;
        this.projections = projections;
        this.maxTokens = tokensPerSample;
        this.tokensPerSample = tokensPerSample;
        this.width = width;
        this.classes = classes;
        int blocks = projections.length;
        int rows = samples * tokensPerSample;
        padding = new boolean[rows];
        poolWeights = new float[rows];
        query = new float[blocks][rows * width];
        key = new float[blocks][rows * width];
        value = new float[blocks][rows * width];
        probabilities = new float[blocks][DenseAttention.probabilities(samples, heads, tokensPerSample)];
        context = new float[blocks][rows * width];
        projected = new float[blocks][Projection.values().length][];
        int adapted = 0;
        for (int b = 0; b < blocks; b++) {
            for (int p = 0; p < projections[b].length; p++) {
                if (projections[b][p].adapted()) {
                    projected[b][p] = new float[rows * rank];
                    adapted++;
                }
            }
        }
        pooled = new float[samples * width];
        dPooled = new float[samples * width];
        logits = new float[samples * classes];
        dContext = new float[rows * width];
        dQuery = new float[rows * width];
        dKey = new float[rows * width];
        dValue = new float[rows * width];
        gradients = DenseHead.gradientArrays(members, Arrays.stream(projections).flatMap(Arrays::stream).toList(),
                adapted, rank, classes, width);
        attention = new DenseAttention(workspace, tokensPerSample, width, heads, samples);
    }

    @Override
    public final float[][] gradients(int member) {
        return gradients[member];
    }

    @Override
    public final int headWidth() {
        return width;
    }

    /**
     * Starts a step of {@code t} tokens per sample: its members' tokens and masks, every projection's masked
     * factors of each member.
     */
    protected final void begin(StepBatch batch, float[][][] parameters, int t) {
        tokensPerSample = t;
        attention.tokens(t);
        stepMembers = batch.members();
        tokenStarts = batch.starts(tokensPerSample);
        for (DenseLinear[] block : projections) {
            for (DenseLinear linear : block) {
                linear.prepare(stepMembers, parameters);
            }
        }
    }

    /** y = x's projection {@code which} of block b (with each member's LoRA), keeping x Âᵀ. */
    protected final void project(int b, Projection which, float[] x, float[] y) {
        projections[b][which.ordinal()].forward(x, stepMembers, tokenStarts, y, projected[b][which.ordinal()]);
    }

    /** Back through projection {@code which} of block b: each member's LoRA gradients, and dx += (unless null). */
    protected final void projectBack(int b, Projection which, float[] dy, float[] x, float[] dx) {
        projections[b][which.ordinal()].backward(dy, x, projected[b][which.ordinal()], stepMembers, tokenStarts,
                gradients, dx, true);
    }

    /** Block b's attention over its q, k and v, for m samples. */
    protected final void attend(int b, int m) {
        attention.forward(query[b], key[b], value[b], padding, m, probabilities[b], context[b]);
    }

    /** Back from {@link #dContext} through block b's attention, into {@link #dQuery}, {@link #dKey}, {@link #dValue}. */
    protected final void attendBack(int b, int m) {
        attention.backward(query[b], key[b], value[b], probabilities[b], dContext, m, dQuery, dKey, dValue);
    }

    /**
     * Each member's head on the pooled rows: its loss into {@code losses}, the head's gradients, and, when
     * the LoRA factors train, the gradient at the pooled rows into {@link #dPooled}. Returns
     * {@code trainLora}: whether the backward pass through the blocks is to follow.
     */
    protected final boolean head(StepBatch batch, float[][][] parameters, boolean trainLora, double[] losses) {
        int head = gradients[0].length - 2;
        DenseHead.lossesAndGradients(workspace, batch, pooled, width, classes, parameters, head, logits, gradients,
                losses);
        if (trainLora) {
            DenseHead.inputGradients(workspace, batch, logits, parameters, head, classes, width, dPooled);
        }
        return trainLora;
    }
}
