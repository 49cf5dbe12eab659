package org.fedlodrop.models.family.transformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.train.DenseTrainable;

/**
 * The {@code transformer} model family: a small pre-norm encoder classifier. Token and position
 * embeddings; L blocks of multi-head self-attention and a ReLU MLP, each behind a layer norm (no affine
 * part) and a residual; a final layer norm, the mean over the real (non-padding) tokens, and a trained
 * linear head. LoRA sits on the projections named in {@code adapted} (query and value by default).
 *
 * <p>Inputs are rows of token ids (as numbers), padded with id 0 to {@link Shape#maxLength()}; padding
 * is masked out of attention (as keys) and out of the pooling. Forward and backward are written with
 * INDArray operations for the reason given in {@link LoraLayer}; attention runs as batched matrix
 * products over (sample × head). Gradients are checked against central finite differences in
 * {@code TransformerGradientTest}, for the LoRA factors and, for pretraining, for every base weight.
 */
public final class TransformerClassifier implements Classifier, DenseTrainable {
    /** Padding token id; never attended to and never pooled. */
    public static final int PAD = 0;
    private static final double NORM_EPSILON = 1e-5;

    /** The weight matrices of a block, each stored out × in like W0 (docs/model.md eq. 1). */
    public enum Projection {
        QUERY("attention.query"), KEY("attention.key"), VALUE("attention.value"), OUTPUT("attention.output"),
        FEED_FORWARD_IN("feed_forward.in"), FEED_FORWARD_OUT("feed_forward.out");

        private final String checkpointName;

        Projection(String checkpointName) {
            this.checkpointName = checkpointName;
        }

        public String checkpointName() {
            return checkpointName;
        }

        /** The projections as a checkpoint's "adapted" entry lists them: [query, value]. */
        public static String checkpointNames(java.util.Set<Projection> adapted) {
            return adapted.stream().map(Projection::checkpointName).toList().toString();
        }
    }

    /** Vocabulary size, padded sequence length, model width, blocks, heads, MLP width, classes. */
    public record Shape(int vocabulary, int maxLength, int width, int blocks, int heads, int feedForward, int classes) {
        public Shape {
            if (width % heads != 0) {
                throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
            }
        }

        /**
         * Training FLOPs of one padded sequence, for the bench's rates: per block the projections (4 d² + 2 d·ff
         * multiply–adds per token) forward and again for the input gradients (frozen weights get none), and
         * attention (2 T² d) once forward and twice backward (dP, dV, dQ, dK); LoRA and head terms are neglected.
         */
        public double trainingFlopsPerSample() {
            double projections = (double) maxLength * (4.0 * width * width + 2.0 * width * feedForward);
            double attention = 2.0 * maxLength * maxLength * width;
            return blocks * 2.0 * (2 * projections + 3 * attention);
        }

        /** The shape as a checkpoint's metadata records it (docs/models.md, Checkpoints), in order. */
        public java.util.Map<String, String> checkpointMetadata() {
            java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
            metadata.put("max_length", Integer.toString(maxLength));
            metadata.put("width", Integer.toString(width));
            metadata.put("blocks", Integer.toString(blocks));
            metadata.put("heads", Integer.toString(heads));
            metadata.put("feed_forward", Integer.toString(feedForward));
            return metadata;
        }

        public int rows(Projection p) {
            return p == Projection.FEED_FORWARD_IN ? feedForward : width;
        }

        public int columns(Projection p) {
            return p == Projection.FEED_FORWARD_OUT ? feedForward : width;
        }

    }

    /** The frozen base: embeddings and every block's projections (a list of 6 per block, in {@link Projection} order). */
    public record Weights(INDArray tokens, INDArray positions, List<List<INDArray>> blocks) {
        public Weights {
            blocks = blocks.stream().map(List::copyOf).toList();
        }

        public INDArray get(int block, Projection p) {
            return blocks.get(block).get(p.ordinal());
        }

        /** Random weights: embeddings N(0, 1), projections N(0, 1/in). */
        public static Weights random(Shape shape, DataType dataType, RandomGenerator random) {
            INDArray tokens = gaussian(shape.vocabulary(), shape.width(), 1, dataType, random);
            INDArray positions = gaussian(shape.maxLength(), shape.width(), 1, dataType, random);
            List<List<INDArray>> blocks = new ArrayList<>();
            for (int b = 0; b < shape.blocks(); b++) {
                List<INDArray> block = new ArrayList<>();
                for (Projection p : Projection.values()) {
                    block.add(gaussian(shape.rows(p), shape.columns(p), 1 / Math.sqrt(shape.columns(p)), dataType, random));
                }
                blocks.add(block);
            }
            return new Weights(tokens, positions, blocks);
        }

        public Weights copy() {
            return new Weights(tokens.dup(), positions.dup(),
                    blocks.stream().map(block -> block.stream().map(INDArray::dup).toList()).toList());
        }

        /** Every array, embeddings first, in a fixed order (for optimisers). */
        public List<INDArray> arrays() {
            List<INDArray> list = new ArrayList<>();
            list.add(tokens);
            list.add(positions);
            blocks.forEach(list::addAll);
            return list;
        }
    }

    private final Shape shape;
    private final Weights weights;
    private final DataType dataType;
    private final BlockLora lora;

    public TransformerClassifier(Shape shape, Weights weights, Set<Projection> adapted, double scale, DataType dataType) {
        this.shape = shape;
        this.weights = weights;
        this.dataType = dataType;
        this.lora = new BlockLora(adapted, shape.blocks(), weights::get, scale);
    }

    public Shape shape() {
        return shape;
    }

    public Weights weights() {
        return weights;
    }

    public Set<Projection> adapted() {
        return lora.adapted();
    }

    @Override
    public java.util.OptionalInt paddingToken() {
        return java.util.OptionalInt.of(PAD);
    }

    @Override
    public DenseModel dense(List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        return new DenseTransformer(this, masks, rank, workspace);
    }

    @Override
    public java.util.Map<String, String> checkpointMetadata() {
        java.util.Map<String, String> metadata = shape.checkpointMetadata();
        metadata.put("adapted", Projection.checkpointNames(adapted()));
        return metadata;
    }

    @Override
    public String family() {
        return "transformer";
    }

    @Override
    public List<LoraLayer> layers() {
        return lora.layers();
    }

    @Override
    public int classes() {
        return shape.classes();
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public TransformerClassifier withAdaptedLayers(List<LoraLayer> folded) {
        List<List<INDArray>> blocks = new ArrayList<>();
        for (int b = 0; b < shape.blocks(); b++) {
            blocks.add(lora.withFolded(b, weights.blocks().get(b), folded));
        }
        // Every adapted projection shares one LoRA scale; take it from the layers given (a rescaled copy may differ).
        return new TransformerClassifier(shape, new Weights(weights.tokens(), weights.positions(), blocks), adapted(),
                folded.get(0).scale(), dataType);
    }

    @Override
    public Map<String, INDArray> frozenTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("embeddings.tokens", weights.tokens());
        tensors.put("embeddings.positions", weights.positions());
        for (int b = 0; b < shape.blocks(); b++) {
            for (Projection p : Projection.values()) {
                tensors.put(name(b, p) + ".weight", weights.get(b, p));
            }
        }
        return tensors;
    }

    @Override
    public String adaptedLayerName(int u) {
        return lora.name(u);
    }

    public static String name(int block, Projection p) {
        return "blocks." + block + "." + p.checkpointName();
    }

    /** Zero-initialised LoRA (A random, B zero: the usual start) and a zero head. */
    public Adapter initialAdapter(int rank, RandomGenerator random) {
        return lora.initialAdapter(rank, shape.classes(), shape.width(), dataType, random);
    }

    @Override
    public INDArray logits(Adapter adapter, List<LoraMask> masks, INDArray x) {
        return forward(adapter, masks, x, false).logits();
    }

    @Override
    public LossAndGradients lossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        Forward forward = forward(adapter, masks, x, false);
        Classifier.CrossEntropy loss = Classifier.crossEntropy(forward.logits(), labels);
        return new LossAndGradients(loss.loss(), backward(forward, adapter, loss.gradient()).adapter());
    }

    /** Loss and gradients of every base weight and the head, LoRA left out: what pretraining needs. */
    public record FullGradients(double loss, Weights base, INDArray headWeights, INDArray headBias) {
    }

    public FullGradients fullGradients(INDArray headWeights, INDArray headBias, INDArray x, int[] labels) {
        Adapter none = new Adapter(List.of(), List.of(), headWeights, headBias);
        Forward forward = forward(none, null, x, true);
        Classifier.CrossEntropy loss = Classifier.crossEntropy(forward.logits(), labels);
        Backward gradients = backward(forward, none, loss.gradient());
        return new FullGradients(loss.loss(), gradients.base(), gradients.adapter().headWeights(),
                gradients.adapter().headBias());
    }

    /**
     * What a forward pass over a batch of n padded sequences keeps for backward.
     *
     * @param full        no LoRA; backward gives gradients of the base weights
     * @param keyBias     (n·heads·t) × t: 0 for real keys, −1e9 for padding
     * @param poolWeights (n·t) × 1: 1 / (real tokens of the sample) for a real token, 0 for padding
     */
    private record Forward(boolean full, int n, int[] ids, INDArray keyBias, INDArray poolWeights,
                           List<BlockLora.MaskedFactors> factors, List<BlockActivations> blocks, Norm finalNorm, INDArray pooled,
                           INDArray logits) {
    }

    /** What backward gives: the adapter's (or only the head's) gradients, and the base's when {@code full}. */
    private record Backward(Adapter adapter, Weights base) {
    }

    /** A block's activations: its two norms, each projection's input (and LoRA projection), and attention's. */
    private record BlockActivations(Norm attentionNorm, Norm feedForwardNorm, List<LoraLayer.Activations> linear,
                                    SelfAttention.Forward attention, INDArray hidden) {
        LoraLayer.Activations of(Projection p) {
            return linear.get(p.ordinal());
        }
    }

    /** Layer norm without affine parameters, row-wise: its output and 1/σ, and its backward. */
    private record Norm(INDArray output, INDArray inverseSd) {
        static Norm of(INDArray x) {
            INDArray centred = x.subColumnVector(x.mean(true, 1));
            INDArray variance = centred.mul(centred).mean(true, 1);
            INDArray inverseSd = Transforms.pow(variance.addi(NORM_EPSILON), -0.5, false);
            return new Norm(centred.muliColumnVector(inverseSd), inverseSd);
        }

        /** dx = (dy − mean(dy) − x̂ · mean(dy ⊙ x̂)) / σ. */
        INDArray backward(INDArray dy) {
            INDArray meanDy = dy.mean(true, 1);
            INDArray meanDyX = dy.mul(output).mean(true, 1);
            return dy.subColumnVector(meanDy).subi(output.mulColumnVector(meanDyX)).muliColumnVector(inverseSd);
        }
    }

    private Forward forward(Adapter adapter, List<LoraMask> masks, INDArray x, boolean full) {
        int n = (int) x.rows();
        int t = shape.maxLength();
        if (x.columns() != t) {
            throw new IllegalArgumentException("expected sequences of " + t + " token ids, got " + x.columns());
        }
        int[] ids = x.reshape(-1).toIntVector();
        List<BlockLora.MaskedFactors> factors = full ? List.of() : lora.masked(this, adapter, masks);
        INDArray keyBias = SelfAttention.keyBias(ids, PAD, n, t, shape.heads(), dataType);
        INDArray poolWeights = SelfAttention.poolWeights(ids, PAD, n, t, dataType);
        // Token embeddings plus position embeddings, the latter added as one row vector per sample.
        INDArray h = Nd4j.pullRows(weights.tokens(), 1, ids).reshape(n, (long) t * shape.width())
                .addiRowVector(weights.positions().reshape(1, (long) t * shape.width()))
                .reshape((long) n * t, shape.width());
        List<BlockActivations> blocks = new ArrayList<>();
        for (int b = 0; b < shape.blocks(); b++) {
            BlockForward block = forwardBlock(b, h, n, keyBias, factors, full);
            h = block.output();
            blocks.add(block.saved());
        }
        Norm finalNorm = Norm.of(h);
        INDArray pooled = SelfAttention.pool(finalNorm.output(), poolWeights, n, t);
        INDArray logits = pooled.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
        return new Forward(full, n, ids, keyBias, poolWeights, factors, blocks, finalNorm, pooled, logits);
    }

    /** y = x Wᵀ, plus LoRA where the projection carries it (never in a full pass). */
    private LoraLayer.Forward linear(int block, Projection p, INDArray input, List<BlockLora.MaskedFactors> factors,
                                     boolean full) {
        return lora.forward(block, p, input, weights.get(block, p), factors, !full);
    }

    /** A block's output and what backward needs of it. */
    private record BlockForward(INDArray output, BlockActivations saved) {
    }

    /** Forward through block b from its input h: attention with its residual, then the MLP with its residual. */
    private BlockForward forwardBlock(int b, INDArray h, int n, INDArray keyBias, List<BlockLora.MaskedFactors> factors,
                                          boolean full) {
        int t = shape.maxLength();
        LoraLayer.Activations[] linear = new LoraLayer.Activations[Projection.values().length];
        Norm attentionNorm = Norm.of(h);
        INDArray a = attentionNorm.output();
        LoraLayer.Forward query = linear(b, Projection.QUERY, a, factors, full);
        LoraLayer.Forward key = linear(b, Projection.KEY, a, factors, full);
        LoraLayer.Forward value = linear(b, Projection.VALUE, a, factors, full);
        linear[Projection.QUERY.ordinal()] = query.saved();
        linear[Projection.KEY.ordinal()] = key.saved();
        linear[Projection.VALUE.ordinal()] = value.saved();
        SelfAttention.Forward attention = SelfAttention.forward(query.output(), key.output(), value.output(), keyBias,
                n, t, shape.heads());
        LoraLayer.Forward output = linear(b, Projection.OUTPUT, attention.context(), factors, full);
        linear[Projection.OUTPUT.ordinal()] = output.saved();
        INDArray attended = h.add(output.output());
        Norm feedForwardNorm = Norm.of(attended);
        LoraLayer.Forward in = linear(b, Projection.FEED_FORWARD_IN, feedForwardNorm.output(), factors, full);
        linear[Projection.FEED_FORWARD_IN.ordinal()] = in.saved();
        INDArray hidden = Transforms.relu(in.output(), false);
        LoraLayer.Forward out = linear(b, Projection.FEED_FORWARD_OUT, hidden, factors, full);
        linear[Projection.FEED_FORWARD_OUT.ordinal()] = out.saved();
        return new BlockForward(attended.addi(out.output()), new BlockActivations(attentionNorm, feedForwardNorm,
                List.of(linear), attention, hidden));
    }

    /** Where backward files the gradients it finds: of the LoRA factors, or of the base weights when full. */
    private record Gradients(INDArray[] a, INDArray[] b, INDArray[][] base) {
        Gradients(int adapted, int blocks, boolean full) {
            this(new INDArray[full ? 0 : adapted], new INDArray[full ? 0 : adapted],
                    full ? new INDArray[blocks][Projection.values().length] : null);
        }
    }

    /** Back through y = x Wᵀ (+ LoRA): returns dx, files dW or dA, dB. */
    private INDArray linearBack(int block, Projection p, INDArray dy, LoraLayer.Activations saved, Forward forward,
                                Gradients into) {
        if (forward.full()) {
            into.base()[block][p.ordinal()] = dy.transpose().mmul(saved.input());
        }
        return lora.backward(block, p, dy, saved, weights.get(block, p), forward.factors(), !forward.full(), into.a(),
                into.b());
    }

    /** Back through block b: the gradient at its output → the gradient at its input. */
    private INDArray backwardBlock(int b, BlockActivations s, INDArray dh, Forward forward, Gradients into) {
        int n = forward.n();
        int t = shape.maxLength();
        // MLP branch.
        INDArray dHidden = linearBack(b, Projection.FEED_FORWARD_OUT, dh, s.of(Projection.FEED_FORWARD_OUT), forward, into);
        dHidden.muli(Transforms.step(s.hidden(), true));
        INDArray dNorm2 = linearBack(b, Projection.FEED_FORWARD_IN, dHidden, s.of(Projection.FEED_FORWARD_IN), forward, into);
        dh = dh.add(s.feedForwardNorm().backward(dNorm2));
        // Attention branch.
        INDArray dContext = linearBack(b, Projection.OUTPUT, dh, s.of(Projection.OUTPUT), forward, into);
        SelfAttention.Backward attention = SelfAttention.backward(s.attention(), dContext, n, t, shape.heads());
        INDArray dA1 = linearBack(b, Projection.QUERY, attention.query(), s.of(Projection.QUERY), forward, into);
        dA1.addi(linearBack(b, Projection.KEY, attention.key(), s.of(Projection.KEY), forward, into));
        dA1.addi(linearBack(b, Projection.VALUE, attention.value(), s.of(Projection.VALUE), forward, into));
        return dh.addi(s.attentionNorm().backward(dA1));
    }

    private Backward backward(Forward forward, Adapter adapter, INDArray dLogits) {
        int n = forward.n();
        int t = shape.maxLength();
        INDArray dHeadWeights = dLogits.transpose().mmul(forward.pooled());
        INDArray dHeadBias = dLogits.sum(true, 0);
        Gradients into = new Gradients(lora.layers().size(), shape.blocks(), forward.full());
        INDArray dPooled = dLogits.mmul(adapter.headWeights());
        INDArray dh = forward.finalNorm().backward(SelfAttention.unpool(dPooled, forward.poolWeights(), n, t));
        for (int b = shape.blocks() - 1; b >= 0; b--) {
            dh = backwardBlock(b, forward.blocks().get(b), dh, forward, into);
        }
        Adapter gradients = new Adapter(List.of(into.a()), List.of(into.b()), dHeadWeights, dHeadBias);
        if (!forward.full()) {
            return new Backward(gradients, null);
        }
        List<List<INDArray>> base = new ArrayList<>();
        for (INDArray[] block : into.base()) {
            base.add(List.of(block));
        }
        INDArray dPositions = dh.reshape(n, t, shape.width()).sum(0);
        return new Backward(gradients, new Weights(tokenGradients(forward.ids(), dh), dPositions, base));
    }

    /** Scatter-add of each token row's gradient to its embedding row; rows of unseen tokens stay zero. */
    private INDArray tokenGradients(int[] ids, INDArray dh) {
        int w = shape.width();
        double[] rows = dh.castTo(DataType.DOUBLE).data().asDouble();
        java.util.TreeMap<Integer, double[]> sums = new java.util.TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            double[] sum = sums.computeIfAbsent(ids[i], id -> new double[w]);
            for (int j = 0; j < w; j++) {
                sum[j] += rows[i * w + j];
            }
        }
        INDArray gradients = Nd4j.zeros(dataType, shape.vocabulary(), w);
        sums.forEach((id, sum) -> gradients.putRow(id, Nd4j.createFromArray(sum).reshape(1, w).castTo(dataType)));
        return gradients;
    }
    private static INDArray gaussian(int rows, int columns, double sd, DataType dataType, RandomGenerator random) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(rows, columns).castTo(dataType);
    }
}
