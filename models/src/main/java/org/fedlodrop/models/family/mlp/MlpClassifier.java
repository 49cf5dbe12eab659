package org.fedlodrop.models.family.mlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.train.DenseTrainable;

/**
 * The {@code mlp} model family: frozen hidden layers x → tanh(W0 x + s B̂ Â x), each carrying LoRA,
 * then a trained linear classification head; loss is the mean softmax cross-entropy.
 */
public final class MlpClassifier implements Classifier, DenseTrainable {
    private final List<LoraLayer> layers;
    private final int classes;
    private final DataType dataType;

    public MlpClassifier(List<LoraLayer> layers, int classes, DataType dataType) {
        this.layers = List.copyOf(layers);
        this.classes = classes;
        this.dataType = dataType;
    }

    /**
     * Training FLOPs of one sample, for the bench's rates: per layer the frozen forward and input-gradient
     * products (2 × 2 n1 n2) and the LoRA forward and backward (about 6 r (n1 + n2)); the head's forward,
     * input and weight gradients (6 c h).
     */
    public static double trainingFlopsPerSample(int[] widths, int rank, int classes) {
        double flops = 0;
        for (int u = 0; u + 1 < widths.length; u++) {
            flops += 4.0 * widths[u] * widths[u + 1] + 6.0 * rank * (widths[u] + widths[u + 1]);
        }
        return flops + 6.0 * classes * widths[widths.length - 1];
    }

    @Override
    public DenseModel dense(List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        return new DenseMlp(this, masks, rank, workspace);
    }

    @Override
    public String family() {
        return "mlp";
    }

    @Override
    public List<LoraLayer> layers() {
        return layers;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public MlpClassifier withAdaptedLayers(List<LoraLayer> adapted) {
        return new MlpClassifier(adapted, classes, dataType);
    }

    @Override
    public Map<String, INDArray> frozenTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (int u = 0; u < layers.size(); u++) {
            tensors.put(adaptedLayerName(u) + ".weight", layers.get(u).frozen());
        }
        return tensors;
    }

    @Override
    public String adaptedLayerName(int u) {
        return "layers." + u;
    }

    @Override
    public INDArray logits(Adapter adapter, List<LoraMask> masks, INDArray x) {
        INDArray h = x;
        for (int u = 0; u < layers.size(); u++) {
            INDArray maskedA = adapter.a().get(u).mul(columnMask(masks.get(u)));
            INDArray maskedB = adapter.b().get(u).mul(rowMask(masks.get(u)));
            h = Transforms.tanh(layers.get(u).forward(h, maskedA, maskedB).output(), false);
        }
        return h.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
    }

    @Override
    public LossAndGradients lossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        List<LoraLayer.Activations> saved = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        List<INDArray> maskedA = new ArrayList<>();
        List<INDArray> maskedB = new ArrayList<>();
        INDArray h = x;
        for (int u = 0; u < layers.size(); u++) {
            maskedA.add(adapter.a().get(u).mul(columnMask(masks.get(u))));
            maskedB.add(adapter.b().get(u).mul(rowMask(masks.get(u))));
            LoraLayer.Forward forward = layers.get(u).forward(h, maskedA.get(u), maskedB.get(u));
            h = Transforms.tanh(forward.output(), true);
            saved.add(forward.saved());
            outputs.add(h);
        }
        INDArray logits = h.mmul(adapter.headWeights().transpose()).addiRowVector(adapter.headBias());
        Classifier.CrossEntropy crossEntropy = Classifier.crossEntropy(logits, labels);
        double loss = crossEntropy.loss();
        INDArray dLogits = crossEntropy.gradient();
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
        return new LossAndGradients(loss, new Adapter(dA, dB, dHeadWeights, dHeadBias));
    }
}
