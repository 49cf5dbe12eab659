package org.fedlodrop.models.net;

import java.util.List;
import java.util.Map;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A model family whose frozen base carries LoRA on some layers and ends in a trained classification
 * head: what local training, aggregation and evaluation need of it (docs/model.md §1–2). Inputs are the
 * rows of a batch: feature vectors for {@code mlp}, token ids for {@code transformer}.
 */
public interface Classifier {

    /** The loss and the gradient of every trainable parameter (masked entries exactly zero). */
    record LossAndGradients(double loss, Adapter gradients) {
    }

    /** Mean cross-entropy of a batch and its gradient with respect to the logits. */
    record CrossEntropy(double loss, INDArray gradient) {
    }

    /** Mean cross-entropy and accuracy of a data set, from one pass over it. */
    record Evaluation(double loss, double accuracy) {
    }

    /** Rows per forward pass in {@link #evaluate} unless a family asks for fewer: bounds the activations held at once. */
    int EVALUATION_BATCH = 256;

    /**
     * Rows per forward pass in {@link #evaluate}. A family whose rows are long sequences through wide
     * blocks takes fewer, since the evaluation workspace ({@link ScratchMemory}) is sized by the
     * largest batch and held for reuse.
     */
    default int evaluationRows() {
        return EVALUATION_BATCH;
    }

    /** The model family's name, as in scenarios and checkpoints. */
    String family();

    /**
     * What a checkpoint of this model records about its shape beyond the family, the LoRA scale and rank and the
     * classes (docs/models.md, Checkpoints), in the order it is written; empty for a family whose tensors say all.
     */
    default Map<String, String> checkpointMetadata() {
        return Map.of();
    }

    /**
     * The padding token of a model whose inputs are rows of token ids padded at the end; empty for models
     * of other inputs (the MLP's feature vectors).
     */
    default java.util.OptionalInt paddingToken() {
        return java.util.OptionalInt.empty();
    }

    /** The adapted layers in adapter order: frozen W0 and LoRA scale of each. */
    List<LoraLayer> layers();

    int classes();

    DataType dataType();

    /** The same model with other frozen weights for its adapted layers (exact aggregation folds into W0). */
    Classifier withAdaptedLayers(List<LoraLayer> layers);

    /**
     * The same model with every LoRA scale multiplied by {@code factor}: the {@code rescale} option of
     * docs/model.md §1 trains a sub-adapter cut at rate γ with factor 1/(1 − γ)², since both of its factors
     * lose a fraction γ of their rows or columns (inverted dropout on Â and on B̂).
     */
    default Classifier withLoraScaled(double factor) {
        return withAdaptedLayers(layers().stream().map(l -> new LoraLayer(l.frozen(), l.scale() * factor)).toList());
    }

    /** The frozen base's tensors by checkpoint name (adapted layers as {@code <name>.weight}). */
    Map<String, INDArray> frozenTensors();

    /** Checkpoint name of adapted layer u, without the {@code .weight} / {@code .lora_A} suffix. */
    String adaptedLayerName(int u);

    /** Logits of a batch (rows are samples). */
    INDArray logits(Adapter adapter, List<LoraMask> masks, INDArray x);

    LossAndGradients lossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels);

    /**
     * The loss and the head's gradients, for training the head alone on the frozen model: a family may
     * skip the backward pass through its layers, and its LoRA gradients are then not computed (zero).
     * The head's gradients equal those of {@link #lossAndGradients}.
     */
    default LossAndGradients headLossAndGradients(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        return lossAndGradients(adapter, masks, x, labels);
    }

    /** A column mask as a 1×n2 row vector of 0s and 1s. */
    default INDArray columnMask(LoraMask mask) {
        return vector(mask.columns(), dataType()).reshape(1, mask.columns().length);
    }

    /** A row mask as an n1×1 column vector of 0s and 1s. */
    default INDArray rowMask(LoraMask mask) {
        return vector(mask.rows(), dataType()).reshape(mask.rows().length, 1);
    }

    /**
     * Mean cross-entropy and the share of rows whose largest logit is their label, in batches of
     * {@link #evaluationRows()} rows: one forward pass per batch for both, the loss summed row by row
     * in order. A row's logits do not depend on the other rows of its batch, so in double precision
     * the batching changes no number ({@code EvaluationTest}); in float32, ND4J's products and
     * reductions may round a batch of another size differently in the last bits.
     */
    default Evaluation evaluate(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        double sum = 0;
        int correct = 0;
        int m = labels.length;
        int rows = evaluationRows();
        for (int start = 0; start < m; start += rows) {
            int end = Math.min(m, start + rows);
            try (MemoryWorkspace scratch = ScratchMemory.open(ScratchMemory.EVALUATION_BATCH)) {
                INDArray batch = start == 0 && end == m ? x
                        : x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end),
                                org.nd4j.linalg.indexing.NDArrayIndex.all());
                INDArray logProbabilities = logSoftmax(logits(adapter, masks, batch));
                INDArray predicted = logProbabilities.argMax(1);
                for (int i = start; i < end; i++) {
                    sum -= logProbabilities.getDouble(i - start, labels[i]);
                    if (predicted.getInt(i - start) == labels[i]) {
                        correct++;
                    }
                }
            }
        }
        return new Evaluation(sum / m, correct / (double) m);
    }

    /** Mean cross-entropy of a batch. */
    default double loss(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        return evaluate(adapter, masks, x, labels).loss();
    }

    /** Share of the batch whose largest logit is its label. */
    default double accuracy(Adapter adapter, List<LoraMask> masks, INDArray x, int[] labels) {
        return evaluate(adapter, masks, x, labels).accuracy();
    }

    /** Masks that keep everything: evaluation uses the whole adapter. */
    default List<LoraMask> fullMasks() {
        return layers().stream().map(l -> LoraMask.full(l.rows(), l.columns())).toList();
    }

    private static INDArray vector(boolean[] kept, DataType dataType) {
        double[] values = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            values[i] = kept[i] ? 1 : 0;
        }
        return Nd4j.createFromArray(values).castTo(dataType);
    }

    /** Row-wise log-softmax, shifted by the row maximum for stability. */
    static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    /**
     * Mean cross-entropy of logits and its gradient with respect to them (softmax − one-hot, over m):
     * shared by the families' backward passes.
     */
    static CrossEntropy crossEntropy(INDArray logits, int[] labels) {
        int m = labels.length;
        INDArray logProbabilities = logSoftmax(logits);
        double loss = 0;
        INDArray dLogits = Transforms.exp(logProbabilities, true);
        for (int i = 0; i < m; i++) {
            loss -= logProbabilities.getDouble(i, labels[i]);
            dLogits.putScalar(i, labels[i], dLogits.getDouble(i, labels[i]) - 1);
        }
        return new CrossEntropy(loss / m, dLogits.divi(m));
    }
}
