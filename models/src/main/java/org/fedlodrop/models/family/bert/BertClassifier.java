package org.fedlodrop.models.family.bert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.transformer.BlockLora;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.transformer.SelfAttention;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.train.DenseTrainable;

/**
 * The {@code bert} model family: a BERT encoder as a pretrained checkpoint defines it (Devlin et al.
 * 2019; the layout of HuggingFace's {@code BertModel}), with a trained classification head. Word,
 * position and token-type embeddings, summed and layer-normed with their affine part; then L
 * post-norm blocks: multi-head self-attention with the padding mask, its output projection, a residual
 * and a layer norm; a GELU feed-forward (exact, with erf), a residual and a layer norm. The sentence
 * is the mean of the last hidden states over the real tokens ([CLS] and [SEP] included, as
 * sentence-transformers pools), or the [CLS] state; the head is linear. Every projection carries its
 * bias. LoRA sits on the projections named in {@code adapted}; the base, embeddings and norms stay
 * frozen, so backward gives the gradients of the LoRA factors and the head only. Inputs are rows of
 * token ids padded with [PAD] = 0 to {@link Shape#maxLength()}; the token type is 0 throughout.
 * Gradients are checked against central finite differences in {@code BertGradientTest}, the forward
 * pass against the model's own ONNX runtime in {@code MiniLmReferenceTest}.
 */
public final class BertClassifier implements Classifier, DenseTrainable {
    /** [PAD] in BERT's WordPiece vocabularies. */
    public static final int PAD = 0;
    /** BERT's layer-norm ε. */
    private static final double NORM_EPSILON = 1e-12;
    private static final int TOKENS_PER_EVALUATION_BATCH = 1024;

    /** How the sentence representation is taken from the last hidden states. */
    public enum Pooling {
        MEAN, CLS
    }

    /** A layer norm's affine part: γ and β as 1 × width rows. */
    public record NormWeights(INDArray gamma, INDArray beta) {
    }

    /**
     * A block's frozen weights: the six projections (out × in, in {@link Projection} order) with their
     * biases (1 × out), the norm after attention and the norm after the feed-forward.
     */
    public record BlockWeights(List<INDArray> projections, List<INDArray> biases, NormWeights attentionNorm,
                               NormWeights outputNorm) {
        public BlockWeights {
            projections = List.copyOf(projections);
            biases = List.copyOf(biases);
        }

        public INDArray weight(Projection p) {
            return projections.get(p.ordinal());
        }

        public INDArray bias(Projection p) {
            return biases.get(p.ordinal());
        }
    }

    /** The frozen base: embeddings (word, position, token type of type 0), their norm, and the blocks. */
    public record Weights(INDArray words, INDArray positions, INDArray tokenType, NormWeights embeddingNorm,
                          List<BlockWeights> blocks) {
        public Weights {
            blocks = List.copyOf(blocks);
        }

        /** The first {@code count} blocks only (model.layers). */
        public Weights firstBlocks(int count) {
            return new Weights(words, positions, tokenType, embeddingNorm, blocks.subList(0, count));
        }

        /** Random weights of a shape, for tests: N(0, 1/in) projections, N(0, 0.1²) biases, norms near identity. */
        public static Weights random(TransformerClassifier.Shape shape, DataType dataType, RandomGenerator random) {
            List<BlockWeights> blocks = new ArrayList<>();
            for (int b = 0; b < shape.blocks(); b++) {
                List<INDArray> projections = new ArrayList<>();
                List<INDArray> biases = new ArrayList<>();
                for (Projection p : Projection.values()) {
                    projections.add(gaussian(shape.rows(p), shape.columns(p), 1 / Math.sqrt(shape.columns(p)), 0,
                            dataType, random));
                    biases.add(gaussian(1, shape.rows(p), 0.1, 0, dataType, random));
                }
                blocks.add(new BlockWeights(projections, biases, randomNorm(shape, dataType, random),
                        randomNorm(shape, dataType, random)));
            }
            return new Weights(gaussian(shape.vocabulary(), shape.width(), 1, 0, dataType, random),
                    gaussian(shape.maxLength(), shape.width(), 0.5, 0, dataType, random),
                    gaussian(1, shape.width(), 0.5, 0, dataType, random), randomNorm(shape, dataType, random), blocks);
        }

        private static NormWeights randomNorm(TransformerClassifier.Shape shape, DataType dataType, RandomGenerator random) {
            return new NormWeights(gaussian(1, shape.width(), 0.1, 1, dataType, random),
                    gaussian(1, shape.width(), 0.1, 0, dataType, random));
        }
    }

    private final TransformerClassifier.Shape shape;
    private final Weights weights;
    private final Pooling pooling;
    private final DataType dataType;
    private final BlockLora lora;

    public BertClassifier(TransformerClassifier.Shape shape, Weights weights, Set<Projection> adapted, Pooling pooling, double scale,
                          DataType dataType) {
        if (weights.blocks().size() != shape.blocks()) {
            throw new IllegalArgumentException("shape says " + shape.blocks() + " blocks, the weights have "
                    + weights.blocks().size());
        }
        this.shape = shape;
        this.weights = weights;
        this.pooling = pooling;
        this.dataType = dataType;
        this.lora = new BlockLora(adapted, shape.blocks(), (b, p) -> weights.blocks().get(b).weight(p), scale);
    }

    public TransformerClassifier.Shape shape() {
        return shape;
    }

    public Weights weights() {
        return weights;
    }

    public Set<Projection> adapted() {
        return lora.adapted();
    }

    public Pooling pooling() {
        return pooling;
    }

    @Override
    public java.util.OptionalInt paddingToken() {
        return java.util.OptionalInt.of(PAD);
    }

    @Override
    public DenseModel dense(List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        return new DenseBert(this, masks, rank, workspace);
    }

    @Override
    public java.util.Map<String, String> checkpointMetadata() {
        // The rest of the base is the scenario's named pretrained checkpoint, first `blocks` blocks.
        java.util.Map<String, String> metadata = shape.checkpointMetadata();
        metadata.put("pooling", pooling.name().toLowerCase(java.util.Locale.ROOT));
        metadata.put("adapted", Projection.checkpointNames(adapted()));
        return metadata;
    }

    @Override
    public String family() {
        return "bert";
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
    public BertClassifier withAdaptedLayers(List<LoraLayer> folded) {
        List<BlockWeights> blocks = new ArrayList<>();
        for (int b = 0; b < shape.blocks(); b++) {
            BlockWeights block = weights.blocks().get(b);
            blocks.add(new BlockWeights(lora.withFolded(b, block.projections(), folded), block.biases(),
                    block.attentionNorm(), block.outputNorm()));
        }
        return new BertClassifier(shape, new Weights(weights.words(), weights.positions(), weights.tokenType(),
                weights.embeddingNorm(), blocks), adapted(), pooling, folded.get(0).scale(), dataType);
    }

    /**
     * The adapted projections only ({@code <name>.weight}): the rest of the base is the named
     * pretrained checkpoint, the same for every run, and is not copied into each run's model file.
     */
    @Override
    public Map<String, INDArray> frozenTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (int u = 0; u < layers().size(); u++) {
            tensors.put(adaptedLayerName(u) + ".weight", layers().get(u).frozen());
        }
        return tensors;
    }

    @Override
    public String adaptedLayerName(int u) {
        return lora.name(u);
    }

    /**
     * Evaluation batches of about 1,024 tokens: a forward pass keeps some twenty arrays of tokens ×
     * width (or × feed-forward width) per block, and the evaluation workspace, sized by the largest
     * batch, is held by every dispatcher thread that has hosted the base station. Measured on
     * scenarios/spam.yaml: batches of 4,096 tokens, 3.2 GB resident; of 1,024 tokens, 1.8 GB, in
     * about the same time.
     */
    @Override
    public int evaluationRows() {
        return Math.max(1, Math.min(EVALUATION_BATCH, TOKENS_PER_EVALUATION_BATCH / shape.maxLength()));
    }

    /** LoRA with A random and B zero (the usual start) and a zero head. */
    public Adapter initialAdapter(int rank, RandomGenerator random) {
        return lora.initialAdapter(rank, shape.classes(), shape.width(), dataType, random);
    }

    @Override
    public INDArray logits(Adapter adapter, List<LoraMask> masks, INDArray x) {
        return forward(adapter, masks, x).logits();
    }

    /** The sentence representations of a batch (mean-pooled or [CLS]), before the head. */
    public INDArray sentences(Adapter adapter, List<LoraMask> masks, INDArray x) {
        return forward(adapter, masks, x).pooled();
    }

    @Override
    public LossAndGradients lossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        Forward forward = forward(adapter, masks, x);
        Classifier.CrossEntropy loss = Classifier.crossEntropy(forward.logits(), labels);
        return new LossAndGradients(loss.loss(), backward(forward, adapter, loss.gradient()));
    }

    /** The head's gradients only: with the encoder frozen, nothing needs the backward pass through its blocks. */
    @Override
    public LossAndGradients headLossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        Forward forward = forward(adapter, masks, x);
        Classifier.CrossEntropy loss = Classifier.crossEntropy(forward.logits(), labels);
        INDArray dLogits = loss.gradient();
        Adapter gradients = new Adapter(adapter.a().stream().map(INDArray::like).toList(),
                adapter.b().stream().map(INDArray::like).toList(),
                dLogits.transpose().mmul(forward.pooled()), dLogits.sum(true, 0));
        return new LossAndGradients(loss.loss(), gradients);
    }

    /** A layer norm's normalised input x̂, 1/σ and γ: output x̂ γ + β; backward needs x̂, 1/σ and γ. */
    private record Norm(INDArray output, INDArray normalised, INDArray inverseSd, INDArray gamma) {
        static Norm of(INDArray x, NormWeights affine) {
            INDArray centred = x.subColumnVector(x.mean(true, 1));
            INDArray variance = centred.mul(centred).mean(true, 1);
            INDArray inverseSd = Transforms.pow(variance.addi(NORM_EPSILON), -0.5, false);
            INDArray normalised = centred.muliColumnVector(inverseSd);
            return new Norm(normalised.mulRowVector(affine.gamma()).addiRowVector(affine.beta()), normalised, inverseSd,
                    affine.gamma());
        }

        /** dx̂ = dy γ; dx = (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)) / σ. */
        INDArray backward(INDArray dy) {
            INDArray dNormalised = dy.mulRowVector(gamma);
            INDArray mean = dNormalised.mean(true, 1);
            INDArray meanDotX = dNormalised.mul(normalised).mean(true, 1);
            return dNormalised.subiColumnVector(mean).subi(normalised.mulColumnVector(meanDotX)).muliColumnVector(inverseSd);
        }
    }

    private record BlockActivations(List<LoraLayer.Activations> linear, SelfAttention.Forward attention,
                                    Norm attentionNorm, INDArray preActivation, Norm outputNorm) {
        LoraLayer.Activations of(Projection p) {
            return linear.get(p.ordinal());
        }
    }

    private record BlockForward(INDArray output, BlockActivations saved) {
    }

    private record Forward(int n, INDArray keyBias, INDArray poolWeights, List<BlockLora.MaskedFactors> factors,
                           List<BlockActivations> blocks, INDArray pooled, INDArray logits) {
    }

    private Forward forward(Adapter adapter, List<LoraMask> masks, INDArray x) {
        int n = (int) x.rows();
        int t = shape.maxLength();
        if (x.columns() != t) {
            throw new IllegalArgumentException("expected sequences of " + t + " token ids, got " + x.columns());
        }
        int[] ids = x.reshape(-1).toIntVector();
        List<BlockLora.MaskedFactors> factors = lora.masked(this, adapter, masks);
        INDArray keyBias = SelfAttention.keyBias(ids, PAD, n, t, shape.heads(), dataType);
        INDArray poolWeights = SelfAttention.poolWeights(ids, PAD, n, t, dataType);
        INDArray positions = weights.positions().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, t),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).addRowVector(weights.tokenType());
        INDArray embedded = Nd4j.pullRows(weights.words(), 1, ids).reshape(n, (long) t * shape.width())
                .addiRowVector(positions.reshape(1, (long) t * shape.width()))
                .reshape((long) n * t, shape.width());
        INDArray h = Norm.of(embedded, weights.embeddingNorm()).output();
        List<BlockActivations> blocks = new ArrayList<>();
        for (int b = 0; b < shape.blocks(); b++) {
            BlockForward block = forwardBlock(b, h, n, keyBias, factors);
            h = block.output();
            blocks.add(block.saved());
        }
        INDArray pooled = pooling == Pooling.MEAN ? SelfAttention.pool(h, poolWeights, n, t)
                : Nd4j.pullRows(h, 1, firstTokenRows(n, t));
        INDArray logits = pooled.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
        return new Forward(n, keyBias, poolWeights, factors, blocks, pooled, logits);
    }

    private static int[] firstTokenRows(int n, int t) {
        int[] rows = new int[n];
        for (int s = 0; s < n; s++) {
            rows[s] = s * t;
        }
        return rows;
    }

    /** y = x Wᵀ + b, plus LoRA where the projection carries it. */
    private LoraLayer.Forward linear(int block, Projection p, INDArray input, List<BlockLora.MaskedFactors> factors) {
        BlockWeights weightsOf = weights.blocks().get(block);
        LoraLayer.Forward forward = lora.forward(block, p, input, weightsOf.weight(p), factors, true);
        forward.output().addiRowVector(weightsOf.bias(p));
        return forward;
    }

    private INDArray linearBack(int block, Projection p, INDArray dy, LoraLayer.Activations saved,
                                List<BlockLora.MaskedFactors> factors, INDArray[] dA, INDArray[] dB, boolean input) {
        return lora.backward(block, p, dy, saved, weights.blocks().get(block).weight(p), factors, true, dA, dB, input);
    }

    private BlockForward forwardBlock(int b, INDArray h, int n, INDArray keyBias, List<BlockLora.MaskedFactors> factors) {
        int t = shape.maxLength();
        BlockWeights block = weights.blocks().get(b);
        LoraLayer.Activations[] linear = new LoraLayer.Activations[Projection.values().length];
        LoraLayer.Forward query = linear(b, Projection.QUERY, h, factors);
        LoraLayer.Forward key = linear(b, Projection.KEY, h, factors);
        LoraLayer.Forward value = linear(b, Projection.VALUE, h, factors);
        linear[Projection.QUERY.ordinal()] = query.saved();
        linear[Projection.KEY.ordinal()] = key.saved();
        linear[Projection.VALUE.ordinal()] = value.saved();
        SelfAttention.Forward attention = SelfAttention.forward(query.output(), key.output(), value.output(), keyBias,
                n, t, shape.heads());
        LoraLayer.Forward output = linear(b, Projection.OUTPUT, attention.context(), factors);
        linear[Projection.OUTPUT.ordinal()] = output.saved();
        Norm attentionNorm = Norm.of(output.output().addi(h), block.attentionNorm());
        LoraLayer.Forward in = linear(b, Projection.FEED_FORWARD_IN, attentionNorm.output(), factors);
        linear[Projection.FEED_FORWARD_IN.ordinal()] = in.saved();
        INDArray preActivation = in.output();
        LoraLayer.Forward out = linear(b, Projection.FEED_FORWARD_OUT, gelu(preActivation), factors);
        linear[Projection.FEED_FORWARD_OUT.ordinal()] = out.saved();
        Norm outputNorm = Norm.of(out.output().addi(attentionNorm.output()), block.outputNorm());
        return new BlockForward(outputNorm.output(),
                new BlockActivations(List.of(linear), attention, attentionNorm, preActivation, outputNorm));
    }

    /** Exact GELU: x Φ(x) = x (1 + erf(x / √2)) / 2. */
    private static INDArray gelu(INDArray x) {
        INDArray erf = Nd4j.exec(new Erf(x.div(Math.sqrt(2))));
        return erf.addi(1).muli(x).muli(0.5);
    }

    /** GELU'(x) = Φ(x) + x φ(x). */
    private static INDArray geluDerivative(INDArray x) {
        INDArray cdf = Nd4j.exec(new Erf(x.div(Math.sqrt(2)))).addi(1).muli(0.5);
        INDArray density = Transforms.exp(x.mul(x).muli(-0.5), false).muli(1 / Math.sqrt(2 * Math.PI));
        return cdf.addi(density.muli(x));
    }

    private Adapter backward(Forward forward, Adapter adapter, INDArray dLogits) {
        int n = forward.n();
        int t = shape.maxLength();
        INDArray dHeadWeights = dLogits.transpose().mmul(forward.pooled());
        INDArray dHeadBias = dLogits.sum(true, 0);
        INDArray dPooled = dLogits.mmul(adapter.headWeights());
        INDArray dh;
        if (pooling == Pooling.MEAN) {
            dh = SelfAttention.unpool(dPooled, forward.poolWeights(), n, t);
        } else {
            dh = Nd4j.zeros(dataType, (long) n * t, shape.width());
            int[] rows = firstTokenRows(n, t);
            for (int s = 0; s < n; s++) {
                dh.putRow(rows[s], dPooled.getRow(s));
            }
        }
        INDArray[] dA = new INDArray[layers().size()];
        INDArray[] dB = new INDArray[layers().size()];
        for (int b = shape.blocks() - 1; b >= 0; b--) {
            // The embeddings are frozen: block 0 needs no gradient of its input.
            dh = backwardBlock(b, forward.blocks().get(b), dh, forward, dA, dB, b > 0);
        }
        return new Adapter(List.of(dA), List.of(dB), dHeadWeights, dHeadBias);
    }

    /** Back through block b: the gradient at its output → the gradient at its input. */
    private INDArray backwardBlock(int b, BlockActivations s, INDArray dh, Forward forward, INDArray[] dA, INDArray[] dB,
                                  boolean input) {
        int n = forward.n();
        int t = shape.maxLength();
        List<BlockLora.MaskedFactors> factors = forward.factors();
        INDArray dResidual2 = s.outputNorm().backward(dh);
        INDArray dActivated = linearBack(b, Projection.FEED_FORWARD_OUT, dResidual2, s.of(Projection.FEED_FORWARD_OUT),
                factors, dA, dB, true);
        INDArray dPre = dActivated.muli(geluDerivative(s.preActivation()));
        INDArray dAttended = dResidual2.addi(linearBack(b, Projection.FEED_FORWARD_IN, dPre,
                s.of(Projection.FEED_FORWARD_IN), factors, dA, dB, true));
        INDArray dResidual1 = s.attentionNorm().backward(dAttended);
        INDArray dContext = linearBack(b, Projection.OUTPUT, dResidual1, s.of(Projection.OUTPUT), factors, dA, dB, true);
        SelfAttention.Backward attention = SelfAttention.backward(s.attention(), dContext, n, t, shape.heads());
        INDArray dQuery = linearBack(b, Projection.QUERY, attention.query(), s.of(Projection.QUERY), factors, dA, dB, input);
        INDArray dKey = linearBack(b, Projection.KEY, attention.key(), s.of(Projection.KEY), factors, dA, dB, input);
        INDArray dValue = linearBack(b, Projection.VALUE, attention.value(), s.of(Projection.VALUE), factors, dA, dB, input);
        return input ? dResidual1.addi(dQuery).addi(dKey).addi(dValue) : null;
    }

    private static INDArray gaussian(int rows, int columns, double sd, double mean, DataType dataType,
                                     RandomGenerator random) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(rows, columns).castTo(dataType);
    }
}
