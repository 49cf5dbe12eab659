package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The {@code mlp} model family: frozen hidden layers x → tanh(W0 x + s B̂ Â x), each carrying LoRA,
 * then a trained linear classification head; loss is the mean softmax cross-entropy.
 */
public final class MlpClassifier {
    private final List<LoraLayer> layers;
    private final int classes;
    private final DataType dataType;

    /** The loss and the gradient of every trainable parameter (masked entries exactly zero). */
    public record LossAndGradients(double loss, Adapter gradients) {
    }

    public MlpClassifier(List<LoraLayer> layers, int classes, DataType dataType) {
        this.layers = List.copyOf(layers);
        this.classes = classes;
        this.dataType = dataType;
    }

    public List<LoraLayer> layers() {
        return layers;
    }

    public int classes() {
        return classes;
    }

    public DataType dataType() {
        return dataType;
    }

    /** A column mask as a 1×n2 row vector and a row mask as an n1×1 column vector, of 0s and 1s. */
    public INDArray columnMask(LoraMask mask) {
        return vector(mask.columns()).reshape(1, mask.columns().length);
    }

    public INDArray rowMask(LoraMask mask) {
        return vector(mask.rows()).reshape(mask.rows().length, 1);
    }

    private INDArray vector(boolean[] kept) {
        double[] values = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            values[i] = kept[i] ? 1 : 0;
        }
        return Nd4j.createFromArray(values).castTo(dataType);
    }

    /** Logits of a batch (rows are samples). */
    public INDArray logits(Adapter adapter, List<LoraMask> masks, INDArray x) {
        INDArray h = x;
        LoraLayer.Activations[] saved = new LoraLayer.Activations[1];
        for (int u = 0; u < layers.size(); u++) {
            INDArray maskedA = adapter.a().get(u).mul(columnMask(masks.get(u)));
            INDArray maskedB = adapter.b().get(u).mul(rowMask(masks.get(u)));
            h = Transforms.tanh(layers.get(u).forward(h, maskedA, maskedB, saved), false);
        }
        return h.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
    }

    /** Mean cross-entropy of a batch. */
    public double loss(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        INDArray logProbabilities = logSoftmax(logits(adapter, masks, x));
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= logProbabilities.getDouble(i, labels[i]);
        }
        return sum / labels.length;
    }

    /** Share of the batch whose largest logit is its label. */
    public double accuracy(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        INDArray predicted = logits(adapter, masks, x).argMax(1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted.getInt(i) == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    public LossAndGradients lossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        int m = labels.length;
        List<LoraLayer.Activations> saved = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        List<INDArray> maskedA = new ArrayList<>();
        List<INDArray> maskedB = new ArrayList<>();
        INDArray h = x;
        LoraLayer.Activations[] slot = new LoraLayer.Activations[1];
        for (int u = 0; u < layers.size(); u++) {
            maskedA.add(adapter.a().get(u).mul(columnMask(masks.get(u))));
            maskedB.add(adapter.b().get(u).mul(rowMask(masks.get(u))));
            h = Transforms.tanh(layers.get(u).forward(h, maskedA.get(u), maskedB.get(u), slot), true);
            saved.add(slot[0]);
            outputs.add(h);
        }
        INDArray logits = h.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
        INDArray logProbabilities = logSoftmax(logits);
        double loss = 0;
        INDArray dLogits = Transforms.exp(logProbabilities, true);
        for (int i = 0; i < m; i++) {
            loss -= logProbabilities.getDouble(i, labels[i]);
            dLogits.putScalar(i, labels[i], dLogits.getDouble(i, labels[i]) - 1);
        }
        dLogits.divi(m);
        INDArray dHeadWeights = dLogits.transpose().mmul(h);
        INDArray dHeadBias = dLogits.sum(true, 0);
        INDArray dh = dLogits.mmul(adapter.headWeights());
        List<INDArray> dA = new ArrayList<>();
        List<INDArray> dB = new ArrayList<>();
        for (int u = layers.size() - 1; u >= 0; u--) {
            INDArray out = outputs.get(u);
            INDArray dz = dh.mul(out.mul(out).rsubi(1)); // tanh' = 1 − tanh²
            LoraLayer.Gradients g = layers.get(u).backward(dz, saved.get(u), maskedA.get(u), maskedB.get(u),
                    columnMask(masks.get(u)), rowMask(masks.get(u)));
            dA.add(0, g.a());
            dB.add(0, g.b());
            dh = g.input();
        }
        return new LossAndGradients(loss / m, new Adapter(dA, dB, dHeadWeights, dHeadBias));
    }

    private static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }
}
