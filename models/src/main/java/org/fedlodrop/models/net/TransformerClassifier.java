package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.EnumSet;
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
public final class TransformerClassifier implements Classifier {
    /** Padding token id; never attended to and never pooled. */
    public static final int PAD = 0;
    private static final double NORM_EPSILON = 1e-5;

    /** The weight matrices of a block, each stored out × in like W0 (MODEL.md eq. 1). */
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
    }

    /** Vocabulary size, padded sequence length, model width, blocks, heads, MLP width, classes. */
    public record Shape(int vocabulary, int maxLength, int width, int blocks, int heads, int feedForward, int classes) {
        public Shape {
            if (width % heads != 0) {
                throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
            }
        }

        public int rows(Projection p) {
            return p == Projection.FEED_FORWARD_IN ? feedForward : width;
        }

        public int columns(Projection p) {
            return p == Projection.FEED_FORWARD_OUT ? feedForward : width;
        }

        /** Multiply–adds of one forward pass over one padded sequence (for throughput figures). */
        public long forwardMultiplyAdds() {
            long t = maxLength;
            long perBlock = t * (4L * width * width + 2L * width * feedForward) + 2L * t * t * width;
            return blocks * perBlock + (long) width * classes;
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
    private final Set<Projection> adapted;
    private final double scale;
    private final DataType dataType;
    private final List<LoraLayer> layers;

    public TransformerClassifier(Shape shape, Weights weights, Set<Projection> adapted, double scale, DataType dataType) {
        if (adapted.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one adapted projection");
        }
        this.shape = shape;
        this.weights = weights;
        this.adapted = EnumSet.copyOf(adapted);
        this.scale = scale;
        this.dataType = dataType;
        List<LoraLayer> list = new ArrayList<>();
        for (int b = 0; b < shape.blocks(); b++) {
            for (Projection p : this.adapted) {
                list.add(new LoraLayer(weights.get(b, p), scale));
            }
        }
        this.layers = List.copyOf(list);
    }

    public Shape shape() {
        return shape;
    }

    public Weights weights() {
        return weights;
    }

    public Set<Projection> adapted() {
        return EnumSet.copyOf(adapted);
    }

    @Override
    public String family() {
        return "transformer";
    }

    @Override
    public List<LoraLayer> layers() {
        return layers;
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
        int u = 0;
        for (int b = 0; b < shape.blocks(); b++) {
            List<INDArray> block = new ArrayList<>(weights.blocks().get(b));
            for (Projection p : adapted) {
                block.set(p.ordinal(), folded.get(u++).frozen());
            }
            blocks.add(block);
        }
        // Every adapted projection shares one LoRA scale; take it from the layers given (a rescaled copy may differ).
        return new TransformerClassifier(shape, new Weights(weights.tokens(), weights.positions(), blocks), adapted,
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
        int perBlock = adapted.size();
        return name(u / perBlock, new ArrayList<>(adapted).get(u % perBlock));
    }

    public static String name(int block, Projection p) {
        return "blocks." + block + "." + p.checkpointName();
    }

    /** Zero-initialised LoRA (A random, B zero: the usual start) and a zero head. */
    public Adapter initialAdapter(int rank, RandomGenerator random) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (LoraLayer layer : layers) {
            a.add(gaussian(rank, layer.columns(), 1 / Math.sqrt(layer.columns()), dataType, random));
            b.add(Nd4j.zeros(dataType, layer.rows(), rank));
        }
        return new Adapter(a, b, Nd4j.zeros(dataType, shape.classes(), shape.width()), Nd4j.zeros(dataType, 1, shape.classes()));
    }

    @Override
    public INDArray logits(Adapter adapter, List<LoraMask> masks, INDArray x) {
        return new Pass(adapter, masks, x, false).logits;
    }

    @Override
    public LossAndGradients lossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        Pass pass = new Pass(adapter, masks, x, false);
        INDArray[] dLogits = new INDArray[1];
        double loss = Classifier.crossEntropy(pass.logits, labels, dLogits);
        pass.backward(dLogits[0]);
        return new LossAndGradients(loss, pass.adapterGradients());
    }

    /** Loss and gradients of every base weight and the head, LoRA left out: what pretraining needs. */
    public record FullGradients(double loss, Weights base, INDArray headWeights, INDArray headBias) {
    }

    public FullGradients fullGradients(INDArray headWeights, INDArray headBias, INDArray x, int[] labels) {
        Adapter none = new Adapter(List.of(), List.of(), headWeights, headBias);
        Pass pass = new Pass(none, null, x, true);
        INDArray[] dLogits = new INDArray[1];
        double loss = Classifier.crossEntropy(pass.logits, labels, dLogits);
        pass.backward(dLogits[0]);
        Adapter head = pass.adapterGradients();
        return new FullGradients(loss, pass.baseGradients(), head.headWeights(), head.headBias());
    }

    /** One forward pass over a batch, keeping what backward needs. */
    private final class Pass {
        private final Adapter adapter;
        private final boolean full; // no LoRA, gradients for the base weights
        private final int n;
        private final int t;
        private final int[] ids;
        private final INDArray keyBias;      // (n·heads·t) × t: 0 for real keys, −1e9 for padding
        private final INDArray pooling;      // n × (n·t): mean over each sample's real tokens
        private final List<INDArray> maskedA = new ArrayList<>();
        private final List<INDArray> maskedB = new ArrayList<>();
        private final List<INDArray> columnMasks = new ArrayList<>();
        private final List<INDArray> rowMasks = new ArrayList<>();
        private final List<BlockState> states = new ArrayList<>();
        private final Norm finalNorm;
        private final INDArray pooled;
        final INDArray logits;
        private final List<INDArray> dA = new ArrayList<>();
        private final List<INDArray> dB = new ArrayList<>();
        private final List<List<INDArray>> dBase = new ArrayList<>();
        private INDArray dHeadWeights;
        private INDArray dHeadBias;
        private INDArray dTokens;
        private INDArray dPositions;

        Pass(Adapter adapter, List<LoraMask> masks, INDArray x, boolean full) {
            this.adapter = adapter;
            this.full = full;
            this.n = (int) x.rows();
            this.t = shape.maxLength();
            if (x.columns() != t) {
                throw new IllegalArgumentException("expected sequences of " + t + " token ids, got " + x.columns());
            }
            this.ids = x.reshape(-1).toIntVector();
            if (!full) {
                for (int u = 0; u < layers.size(); u++) {
                    columnMasks.add(columnMask(masks.get(u)));
                    rowMasks.add(rowMask(masks.get(u)));
                    maskedA.add(adapter.a().get(u).mul(columnMasks.get(u)));
                    maskedB.add(adapter.b().get(u).mul(rowMasks.get(u)));
                }
            }
            this.keyBias = keyBias();
            this.pooling = pooling();
            // Token embeddings plus position embeddings, the latter added as one row vector per sample.
            INDArray h = Nd4j.pullRows(weights.tokens(), 1, ids).reshape(n, (long) t * shape.width())
                    .addiRowVector(weights.positions().reshape(1, (long) t * shape.width()))
                    .reshape((long) n * t, shape.width());
            for (int b = 0; b < shape.blocks(); b++) {
                BlockState state = new BlockState(b);
                h = state.forward(h);
                states.add(state);
            }
            finalNorm = new Norm(h);
            pooled = pooling.mmul(finalNorm.output);
            logits = pooled.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
        }

        private INDArray keyBias() {
            int heads = shape.heads();
            double[] values = new double[n * heads * t * t];
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < t; j++) {
                    if (ids[s * t + j] == PAD) {
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

        private INDArray pooling() {
            double[] values = new double[n * n * t];
            for (int s = 0; s < n; s++) {
                int real = 0;
                for (int j = 0; j < t; j++) {
                    real += ids[s * t + j] == PAD ? 0 : 1;
                }
                for (int j = 0; j < t; j++) {
                    if (ids[s * t + j] != PAD) {
                        values[s * n * t + s * t + j] = 1.0 / real;
                    }
                }
            }
            return Nd4j.createFromArray(values).reshape(n, (long) n * t).castTo(dataType);
        }

        /** Adapter index of (block, projection), or −1 where the projection carries no LoRA here. */
        private int adapterIndex(int block, Projection p) {
            if (full || !adapted.contains(p)) {
                return -1;
            }
            int offset = 0;
            for (Projection q : adapted) {
                if (q == p) {
                    break;
                }
                offset++;
            }
            return block * adapted.size() + offset;
        }

        private INDArray linear(int block, Projection p, INDArray input, INDArray[] projected) {
            INDArray w = weights.get(block, p);
            int u = adapterIndex(block, p);
            if (u < 0) {
                return input.mmul(w.transpose());
            }
            LoraLayer.Activations[] saved = new LoraLayer.Activations[1];
            INDArray y = layers.get(u).forward(input, maskedA.get(u), maskedB.get(u), saved);
            projected[0] = saved[0].projected();
            return y;
        }

        /** Back through y = x Wᵀ (+ LoRA): returns dx, files dW or dA, dB. */
        private INDArray linearBack(int block, Projection p, INDArray dy, INDArray input, INDArray projected) {
            INDArray w = weights.get(block, p);
            if (full) {
                dBase.get(block).set(p.ordinal(), dy.transpose().mmul(input));
            }
            int u = adapterIndex(block, p);
            if (u < 0) {
                return dy.mmul(w);
            }
            LoraLayer.Gradients g = layers.get(u).backward(dy, new LoraLayer.Activations(input, projected),
                    maskedA.get(u), maskedB.get(u), columnMasks.get(u), rowMasks.get(u));
            dA.set(u, g.a());
            dB.set(u, g.b());
            return g.input();
        }

        /** (n·t) × width → (n·heads) × t × headWidth. */
        private INDArray splitHeads(INDArray x) {
            int heads = shape.heads();
            int hw = shape.width() / heads;
            return x.reshape(n, t, heads, hw).permute(0, 2, 1, 3).dup('c').reshape((long) n * heads, t, hw);
        }

        private INDArray mergeHeads(INDArray x) {
            int heads = shape.heads();
            int hw = shape.width() / heads;
            return x.reshape(n, heads, t, hw).permute(0, 2, 1, 3).dup('c').reshape((long) n * t, shape.width());
        }

        /** Layer norm without affine parameters, row-wise, and its backward. */
        private final class Norm {
            final INDArray output;
            private final INDArray inverseSd;

            Norm(INDArray x) {
                INDArray centred = x.subColumnVector(x.mean(true, 1));
                INDArray variance = centred.mul(centred).mean(true, 1);
                inverseSd = Transforms.pow(variance.addi(NORM_EPSILON), -0.5, false);
                output = centred.muliColumnVector(inverseSd);
            }

            /** dx = (dy − mean(dy) − x̂ · mean(dy ⊙ x̂)) / σ. */
            INDArray backward(INDArray dy) {
                INDArray meanDy = dy.mean(true, 1);
                INDArray meanDyX = dy.mul(output).mean(true, 1);
                return dy.subColumnVector(meanDy).subi(output.mulColumnVector(meanDyX)).muliColumnVector(inverseSd);
            }
        }

        private final class BlockState {
            private final int block;
            private Norm attentionNorm;
            private Norm feedForwardNorm;
            private final INDArray[][] slots = new INDArray[Projection.values().length][];
            private INDArray q;
            private INDArray k;
            private INDArray v;
            private INDArray probabilities;
            private INDArray context;
            private INDArray hidden; // ReLU output of the MLP

            BlockState(int block) {
                this.block = block;
            }

            INDArray forward(INDArray h) {
                attentionNorm = new Norm(h);
                INDArray a = attentionNorm.output;
                q = splitHeads(linear(block, Projection.QUERY, a, slot(Projection.QUERY)));
                k = splitHeads(linear(block, Projection.KEY, a, slot(Projection.KEY)));
                v = splitHeads(linear(block, Projection.VALUE, a, slot(Projection.VALUE)));
                double invSqrt = 1 / Math.sqrt(shape.width() / (double) shape.heads());
                INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(invSqrt)
                        .reshape((long) n * shape.heads() * t, t).addi(keyBias);
                INDArray shifted = scores.subiColumnVector(scores.max(true, 1));
                INDArray e = Transforms.exp(shifted, false);
                probabilities = e.diviColumnVector(e.sum(true, 1));
                INDArray ctx = Nd4j.matmul(probabilities.reshape((long) n * shape.heads(), t, t), v, false, false, false);
                context = mergeHeads(ctx);
                h = h.add(linear(block, Projection.OUTPUT, context, slot(Projection.OUTPUT)));
                feedForwardNorm = new Norm(h);
                hidden = Transforms.relu(linear(block, Projection.FEED_FORWARD_IN, feedForwardNorm.output,
                        slot(Projection.FEED_FORWARD_IN)), false);
                return h.addi(linear(block, Projection.FEED_FORWARD_OUT, hidden, slot(Projection.FEED_FORWARD_OUT)));
            }

            /** A holder for the LoRA projection X Âᵀ of p, kept for backward. */
            private INDArray[] slot(Projection p) {
                INDArray[] holder = new INDArray[1];
                slots[p.ordinal()] = holder;
                return holder;
            }

            private INDArray saved(Projection p) {
                return slots[p.ordinal()][0];
            }

            /** Back through the block: dh of its output → dh of its input. */
            INDArray backward(INDArray dh) {
                // MLP branch.
                INDArray dHidden = linearBack(block, Projection.FEED_FORWARD_OUT, dh, hidden, saved(Projection.FEED_FORWARD_OUT));
                dHidden.muli(Transforms.step(hidden, true));
                INDArray dNorm2 = linearBack(block, Projection.FEED_FORWARD_IN, dHidden, feedForwardNorm.output,
                        saved(Projection.FEED_FORWARD_IN));
                dh = dh.add(feedForwardNorm.backward(dNorm2));
                // Attention branch.
                INDArray dContext = linearBack(block, Projection.OUTPUT, dh, context, saved(Projection.OUTPUT));
                INDArray dCtx = splitHeads(dContext);
                long batches = (long) n * shape.heads();
                INDArray p3 = probabilities.reshape(batches, t, t);
                INDArray dP = Nd4j.matmul(dCtx, v, false, true, false).reshape(batches * t, t);
                INDArray dV = Nd4j.matmul(p3, dCtx, true, false, false);
                INDArray rowDot = dP.mul(probabilities).sum(true, 1);
                double invSqrt = 1 / Math.sqrt(shape.width() / (double) shape.heads());
                INDArray dScores = dP.subiColumnVector(rowDot).muli(probabilities).muli(invSqrt).reshape(batches, t, t);
                INDArray dQ = Nd4j.matmul(dScores, k, false, false, false);
                INDArray dK = Nd4j.matmul(dScores, q, true, false, false);
                INDArray a = attentionNorm.output;
                INDArray dA1 = linearBack(block, Projection.QUERY, mergeHeads(dQ), a, saved(Projection.QUERY));
                dA1.addi(linearBack(block, Projection.KEY, mergeHeads(dK), a, saved(Projection.KEY)));
                dA1.addi(linearBack(block, Projection.VALUE, mergeHeads(dV), a, saved(Projection.VALUE)));
                return dh.addi(attentionNorm.backward(dA1));
            }
        }

        void backward(INDArray dLogits) {
            dHeadWeights = dLogits.transpose().mmul(pooled);
            dHeadBias = dLogits.sum(true, 0);
            for (int u = 0; u < layers.size() && !full; u++) {
                dA.add(null);
                dB.add(null);
            }
            if (full) {
                for (int b = 0; b < shape.blocks(); b++) {
                    List<INDArray> block = new ArrayList<>();
                    for (Projection ignored : Projection.values()) {
                        block.add(null);
                    }
                    dBase.add(block);
                }
            }
            INDArray dh = finalNorm.backward(pooling.transpose().mmul(dLogits.mmul(adapter.headWeights())));
            for (int b = shape.blocks() - 1; b >= 0; b--) {
                dh = states.get(b).backward(dh);
            }
            if (full) {
                // Scatter-add of each token's gradient to its embedding row, as one product with the one-hot matrix.
                INDArray oneHot = Nd4j.zeros(dataType, ids.length, shape.vocabulary());
                for (int i = 0; i < ids.length; i++) {
                    oneHot.putScalar(i, ids[i], 1);
                }
                dTokens = oneHot.transpose().mmul(dh);
                dPositions = dh.reshape(n, t, shape.width()).sum(0);
            }
        }

        Adapter adapterGradients() {
            return new Adapter(dA, dB, dHeadWeights, dHeadBias);
        }

        Weights baseGradients() {
            return new Weights(dTokens, dPositions, dBase);
        }
    }

    private static INDArray gaussian(int rows, int columns, double sd, DataType dataType, RandomGenerator random) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(rows, columns).castTo(dataType);
    }
}
