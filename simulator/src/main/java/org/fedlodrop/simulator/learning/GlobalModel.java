package org.fedlodrop.simulator.learning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.MlpClassifier;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.reports.records.ModelCheckpoint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The server's side of learning: the global model and adapter, which it cuts into sub-adapters,
 * updates by aggregation (W0 too under {@code exact}), evaluates, and saves. Owned by the base
 * station actor alone.
 */
public final class GlobalModel {
    private final LearningTask task;
    private final AggregationMode aggregation;
    private final MaskMode maskMode;
    private MlpClassifier model;
    private Adapter adapter;

    public GlobalModel(LearningTask task, AggregationMode aggregation, MaskMode maskMode) {
        this.task = task;
        this.aggregation = aggregation;
        this.maskMode = maskMode;
        this.model = task.model();
        this.adapter = task.initial();
    }

    /** The current global adapter with fresh masks at rate γ: what a device is sent. */
    public Adapter adapter() {
        return adapter;
    }

    public List<LoraMask> masks(double gamma, RandomGenerator random) {
        return task.masks(maskMode, gamma, random);
    }

    /** Aggregates the round's updates (MODEL.md eq. 4), then evaluates the new global model (§2). */
    public FederatedRounds.Metrics aggregateAndEvaluate(List<Aggregator.Update> updates) {
        FederatedRounds rounds = new FederatedRounds(model, adapter, aggregation, maskMode, task.training());
        rounds.apply(updates);
        model = rounds.model();
        adapter = rounds.global();
        return rounds.evaluate(task.local(), task.test());
    }

    /** Samples behind a device's update: its weight in aggregation. */
    public int samples(int device) {
        return task.local().get(device).size();
    }

    /** The global model for model.safetensors (see {@link ModelCheckpoint} for the names). */
    public ModelCheckpoint checkpoint(int round, int rank) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (int u = 0; u < model.layers().size(); u++) {
            tensors.put("layers." + u + ".weight", tensor(model.layers().get(u).frozen()));
            tensors.put("layers." + u + ".lora_A", tensor(adapter.a().get(u)));
            tensors.put("layers." + u + ".lora_B", tensor(adapter.b().get(u)));
        }
        tensors.put("head.weight", tensor(adapter.headWeights()));
        tensors.put("head.bias", tensor(adapter.headBias()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "fedlodrop-mlp");
        metadata.put("lora_scale", Double.toString(model.layers().get(0).scale()));
        metadata.put("lora_rank", Integer.toString(rank));
        metadata.put("classes", Integer.toString(model.classes()));
        metadata.put("round", Integer.toString(round));
        return new ModelCheckpoint(tensors, metadata);
    }

    private static SafeTensors.Tensor tensor(INDArray array) {
        return new SafeTensors.Tensor(array.shape(), array.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }
}
