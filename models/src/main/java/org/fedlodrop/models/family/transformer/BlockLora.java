package org.fedlodrop.models.family.transformer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;

/**
 * LoRA on the named projections of every block of an encoder, shared by the {@code transformer} and
 * {@code bert} families: adapter layers in order block by block (so that γ's masks, payloads and
 * aggregation treat them like any other layers), their names, their masked factors for a pass, and
 * the projections with or without LoRA, forward and back.
 */
public final class BlockLora {
    private final Set<Projection> adapted;
    private final List<LoraLayer> layers;

    /** @param frozen W0 (out × in) of a block's projection */
    public BlockLora(Set<Projection> adapted, int blocks, BiFunction<Integer, Projection, INDArray> frozen, double scale) {
        if (adapted.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one adapted projection");
        }
        this.adapted = EnumSet.copyOf(adapted);
        List<LoraLayer> list = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            for (Projection p : this.adapted) {
                list.add(new LoraLayer(frozen.apply(b, p), scale));
            }
        }
        this.layers = List.copyOf(list);
    }

    public List<LoraLayer> layers() {
        return layers;
    }

    public Set<Projection> adapted() {
        return EnumSet.copyOf(adapted);
    }

    /** The frozen W0 of every adapted layer, block by block, replaced in a block's list of projections. */
    public List<INDArray> withFolded(int block, List<INDArray> projections, List<LoraLayer> folded) {
        List<INDArray> replaced = new ArrayList<>(projections);
        int u = block * adapted.size();
        for (Projection p : adapted) {
            replaced.set(p.ordinal(), folded.get(u++).frozen());
        }
        return replaced;
    }

    /** Checkpoint name of adapted layer u. */
    public String name(int u) {
        int perBlock = adapted.size();
        return TransformerClassifier.name(u / perBlock, new ArrayList<>(adapted).get(u % perBlock));
    }

    /** Adapter index of (block, projection), or −1 where the projection carries no LoRA. */
    int index(int block, Projection p) {
        if (!adapted.contains(p)) {
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

    /** An adapted layer's masked factors Â, B̂ and its masks, as a pass uses them. */
    public record MaskedFactors(INDArray a, INDArray b, INDArray columnMask, INDArray rowMask) {
    }

    public List<MaskedFactors> masked(Classifier model, Adapter adapter, List<LoraMask> masks) {
        List<MaskedFactors> factors = new ArrayList<>();
        for (int u = 0; u < layers.size(); u++) {
            INDArray columns = model.columnMask(masks.get(u));
            INDArray rows = model.rowMask(masks.get(u));
            factors.add(new MaskedFactors(adapter.a().get(u).mul(columns), adapter.b().get(u).mul(rows), columns, rows));
        }
        return factors;
    }

    /** LoRA with A ~ N(0, 1/in) and B zero (the usual start), and a zero head. */
    public Adapter initialAdapter(int rank, int classes, int width, DataType dataType, RandomGenerator random) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (LoraLayer layer : layers) {
            double[] values = new double[rank * layer.columns()];
            for (int i = 0; i < values.length; i++) {
                values[i] = 1 / Math.sqrt(layer.columns()) * random.nextGaussian();
            }
            a.add(Nd4j.createFromArray(values).reshape(rank, layer.columns()).castTo(dataType));
            b.add(Nd4j.zeros(dataType, layer.rows(), rank));
        }
        return new Adapter(a, b, Nd4j.zeros(dataType, classes, width), Nd4j.zeros(dataType, 1, classes));
    }

    /** y = x Wᵀ, through LoRA where (block, p) carries it and {@code lora} holds; W is the frozen weight. */
    public LoraLayer.Forward forward(int block, Projection p, INDArray input, INDArray frozen, List<MaskedFactors> factors,
                              boolean lora) {
        int u = lora ? index(block, p) : -1;
        if (u < 0) {
            return new LoraLayer.Forward(input.mmul(frozen.transpose()), new LoraLayer.Activations(input, null));
        }
        return layers.get(u).forward(input, factors.get(u).a(), factors.get(u).b());
    }

    /** Back through {@link #forward}: returns dx, and files dÂ and dB̂ of an adapted layer in {@code dA}, {@code dB}. */
    public INDArray backward(int block, Projection p, INDArray dy, LoraLayer.Activations saved, INDArray frozen,
                      List<MaskedFactors> factors, boolean lora, INDArray[] dA, INDArray[] dB) {
        return backward(block, p, dy, saved, frozen, factors, lora, dA, dB, true);
    }

    /** As above; with {@code input} false dx is not computed (null): nothing below needs it. */
    public INDArray backward(int block, Projection p, INDArray dy, LoraLayer.Activations saved, INDArray frozen,
                      List<MaskedFactors> factors, boolean lora, INDArray[] dA, INDArray[] dB, boolean input) {
        int u = lora ? index(block, p) : -1;
        if (u < 0) {
            return input ? dy.mmul(frozen) : null;
        }
        MaskedFactors f = factors.get(u);
        LoraLayer.Gradients g = layers.get(u).backward(dy, saved, f.a(), f.b(), f.columnMask(), f.rowMask(), input);
        dA[u] = g.a();
        dB[u] = g.b();
        return g.input();
    }
}
