package org.fedlodrop.models.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The head's inputs of a run whose LoRA factors do not train ({@code training.train_lora: false}, the
 * frozen-head arm), kept for the run: what the model computes below its classification head for every sample
 * of a dataset, computed once on the {@link TrainingEngine#JAVA java engine} and then read by every training
 * step and evaluation, instead of a forward pass through the whole encoder each time: the shipped mail run's
 * frozen head made 7,560 passes through MiniLM in six rounds (each round's epoch, and its evaluation of
 * the 480 training and 300 test mails), and now makes 780.
 *
 * <p>The inputs are those of the model the run started from. They stand for a request while the requesting
 * model's adapted layers hold the same frozen weights W0 (compared value by value, so that a fold of zero
 * residuals under {@code exact} aggregation, which makes a new model of the same values, still matches) and
 * every B of the adapter is zero, so that LoRA adds exactly nothing whatever A and the masks. Any other request
 * is answered with null and its caller runs the forward pass: the answer depends on values only, never on
 * which thread asked first, and a run's bytes stay the same on any number of threads.
 *
 * <p>They are computed in the batches {@link DenseTraining#evaluate} uses, so an evaluation reads exactly the
 * numbers it would have computed; a training step reads inputs that a step would have computed in its own
 * batch, which pads to its own longest text, and so may differ from them in float32 rounding.
 */
public final class FrozenHeadInputs {
    /** No memo: every request is answered with null. */
    public static final FrozenHeadInputs NONE = new FrozenHeadInputs(null);

    /** W0 of each adapted layer of the model the run started from; null for {@link #NONE}. */
    private final float[][] frozen;
    /** Guarded by {@code this}; each entry's rows are computed under the entry's own lock. */
    private final Map<Dataset, Entry> entries = new IdentityHashMap<>();
    /** The last model whose frozen weights matched: a run asks with the same instance many times. */
    private volatile Classifier matched;

    private static final class Entry {
        float[] rows;
    }

    private FrozenHeadInputs(float[][] frozen) {
        this.frozen = frozen;
    }

    /**
     * A memo for a run on {@code model} under {@code training}: {@link #NONE} unless its LoRA factors do not
     * train and the java engine trains the model.
     */
    public static FrozenHeadInputs of(Classifier model, LocalTrainer.Settings training) {
        if (training.trainLora() || training.engine().resolve(model) != TrainingEngine.JAVA) {
            return NONE;
        }
        return new FrozenHeadInputs(frozenWeights(model));
    }

    /** Whether this memo may answer at all (it is not {@link #NONE}). */
    public boolean active() {
        return frozen != null;
    }

    /**
     * The head's inputs of every sample of {@code data} (row i of {@code data.size()} rows, each as wide as the
     * head's input) under {@code model} with {@code adapter}, or null where this memo does not stand for them
     * (see the class comment). The array is shared: read it, do not change it.
     */
    public float[] rows(Classifier model, Adapter adapter, Dataset data) {
        if (frozen == null || !loraAddsNothing(adapter) || !sameFrozenWeights(model)) {
            return null;
        }
        Entry entry;
        synchronized (this) {
            entry = entries.computeIfAbsent(data, d -> new Entry());
        }
        synchronized (entry) {
            if (entry.rows == null) {
                entry.rows = DenseTraining.headInputRows(model, adapter, model.fullMasks(), data);
            }
            return entry.rows;
        }
    }

    private static boolean loraAddsNothing(Adapter adapter) {
        for (INDArray b : adapter.b()) {
            for (float value : DenseTraining.floats(b)) {
                if (value != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean sameFrozenWeights(Classifier model) {
        if (model == matched) {
            return true;
        }
        List<LoraLayer> layers = model.layers();
        if (layers.size() != frozen.length) {
            return false;
        }
        for (int u = 0; u < frozen.length; u++) {
            float[] values = DenseTraining.floats(layers.get(u).frozen());
            if (values.length != frozen[u].length) {
                return false;
            }
            for (int e = 0; e < values.length; e++) {
                // ==, not Float.compare: a fold of zero residuals may turn −0 into +0, which changes no product.
                if (values[e] != frozen[u][e]) {
                    return false;
                }
            }
        }
        matched = model;
        return true;
    }

    private static float[][] frozenWeights(Classifier model) {
        return model.layers().stream().map(layer -> DenseTraining.floats(layer.frozen())).toArray(float[][]::new);
    }
}
