package org.fedlodrop.simulator.learning;

import org.fedlodrop.reports.records.StateTensor;
import org.fedlodrop.reports.records.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.AggregationError;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.reports.io.DoubleSpelling;
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
    private final FederatedRounds rounds;
    /** Where an evaluation's datasets are evaluated, each a task of its own (FederatedRounds#evaluate). */
    private final Executor evaluation;

    public GlobalModel(LearningTask task, AggregationMode aggregation, MaskMode maskMode, boolean rescale) {
        this(task, Aggregator.Rule.of(aggregation), maskMode, rescale, Runnable::run);
    }

    /**
     * @param aggregation the scenario's rule ({@link AggregationRules#of})
     * @param evaluation  threads to evaluate on (the run's training threads); the metrics do not depend on them
     */
    public GlobalModel(LearningTask task, Aggregator.Rule aggregation, MaskMode maskMode, boolean rescale,
                       Executor evaluation) {
        this.task = task;
        this.evaluation = evaluation;
        this.rounds = new FederatedRounds(task.model(), task.initial(), aggregation, maskMode, task.training(), rescale,
                task.frozen());
    }

    /**
     * The model a device at rate γ trains on: the current global one, so that under {@code exact} it
     * has the folded W0 it downloaded (docs/model.md eq. 4), rescaled under the {@code rescale} option.
     */
    public Classifier trainingModel(double gamma) {
        return rounds.trainingModel(gamma);
    }

    /** The current global adapter: what every device's sub-adapter is cut from. */
    public Adapter adapter() {
        return rounds.global();
    }

    /** One device's masks at rate γ, one per adapted layer. */
    public List<LoraMask> masks(double gamma, RandomGenerator random) {
        return rounds.masks(gamma, random);
    }

    /** The metrics of a round (§2) and each adapted layer's aggregation error (eq. 4). */
    public record Aggregated(FederatedRounds.Metrics metrics, List<AggregationError.Layer> errors) {
    }

    /** Aggregates the round's updates (docs/model.md eq. 4), then evaluates the new global model (§2). */
    public Aggregated aggregateAndEvaluate(List<Aggregator.Update> updates) {
        return aggregateAndEvaluate(updates, true);
    }

    /** As {@link #aggregateAndEvaluate(List)}, the metrics NaN unless {@code evaluate} ({@code training.evaluate_every}). */
    public Aggregated aggregateAndEvaluate(List<Aggregator.Update> updates, boolean evaluate) {
        List<AggregationError.Layer> errors = rounds.apply(updates);
        return new Aggregated(evaluatedIf(evaluate), errors);
    }

    /** A buffered server step (docs/buffered.md, FederatedRounds#applyBuffered), then the model evaluated. */
    public Aggregated applyBufferedAndEvaluate(List<Aggregator.Update> updates, double step, boolean evaluate) {
        List<AggregationError.Layer> errors = rounds.applyBuffered(updates, step);
        return new Aggregated(evaluatedIf(evaluate), errors);
    }

    /** Aggregates updates into this model (docs/model.md eq. 4) without evaluating it: an edge server's step. */
    public List<AggregationError.Layer> aggregate(List<Aggregator.Update> updates) {
        return rounds.apply(updates);
    }

    /**
     * The cloud's merge of the cells' models, each weighted by the samples behind the updates it aggregated since
     * the last merge (docs/hierarchy.md), then the merged model evaluated as {@link #aggregateAndEvaluate} does.
     */
    public Aggregated mergeAndEvaluate(List<GlobalModel> cells, double[] weights, boolean evaluate) {
        List<AggregationError.Layer> errors = rounds.merge(cells.stream().map(cell -> cell.rounds).toList(), weights);
        return new Aggregated(evaluatedIf(evaluate), errors);
    }

    /** This model's metrics if {@code evaluate}, else none ({@code training.evaluate_every}). */
    private FederatedRounds.Metrics evaluatedIf(boolean evaluate) {
        return evaluate ? evaluate() : FederatedRounds.Metrics.NONE;
    }

    /** This model's metrics (§2): training loss over every device's data, test loss and accuracy. */
    public FederatedRounds.Metrics evaluate() {
        return rounds.evaluate(task.local(), task.test(), evaluation);
    }

    /** This model's metrics with the training loss over the given devices' data only (a cell's). */
    public FederatedRounds.Metrics evaluate(int[] devices) {
        List<org.fedlodrop.models.data.Dataset> local = new java.util.ArrayList<>(devices.length);
        for (int k : devices) {
            local.add(task.local().get(k));
        }
        return rounds.evaluate(local, task.test(), evaluation);
    }

    /** Takes the cloud's model after a merge: what the cell's devices are cut from next. */
    public void adopt(GlobalModel cloud) {
        rounds.adopt(cloud.rounds);
    }

    /** Samples behind a device's update: its weight in aggregation. */
    public int samples(int device) {
        return task.local().get(device).size();
    }

    /**
     * What a checkpoint keeps of the global model, bit for bit: per adapted layer {@code a.U} and {@code b.U},
     * the head, and {@code frozen.U} where aggregation has folded W0 (docs/checkpoints.md).
     */
    public Map<String, StateTensor> state() {
        Adapter adapter = rounds.global();
        Map<String, StateTensor> tensors = new LinkedHashMap<>();
        for (int u = 0; u < adapter.a().size(); u++) {
            tensors.put("a." + u, StateTensors.of(adapter.a().get(u)));
            tensors.put("b." + u, StateTensors.of(adapter.b().get(u)));
        }
        tensors.put("head.weight", StateTensors.of(adapter.headWeights()));
        tensors.put("head.bias", StateTensors.of(adapter.headBias()));
        if (rounds.folded()) {
            for (int u = 0; u < rounds.model().layers().size(); u++) {
                tensors.put("frozen." + u, StateTensors.of(rounds.model().layers().get(u).frozen()));
            }
        }
        return tensors;
    }

    /** Puts back what {@link #state} kept; a checkpoint of another model is refused, naming the tensor. */
    public void restore(Map<String, StateTensor> state) {
        Adapter current = rounds.global();
        List<INDArray> a = new java.util.ArrayList<>();
        List<INDArray> b = new java.util.ArrayList<>();
        List<INDArray> frozen = new java.util.ArrayList<>();
        for (int u = 0; u < current.a().size(); u++) {
            a.add(restored(state, "a." + u, current.a().get(u)));
            b.add(restored(state, "b." + u, current.b().get(u)));
            if (state.containsKey("frozen." + u)) {
                frozen.add(restored(state, "frozen." + u, rounds.model().layers().get(u).frozen()));
            }
        }
        rounds.restore(new Adapter(a, b, restored(state, "head.weight", current.headWeights()),
                restored(state, "head.bias", current.headBias())), frozen);
    }

    private static INDArray restored(Map<String, StateTensor> state, String name, INDArray like) {
        StateTensor tensor = state.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("the checkpoint has no tensor " + name);
        }
        INDArray array = StateTensors.array(tensor);
        if (!java.util.Arrays.equals(array.shape(), like.shape()) || array.dataType() != like.dataType()) {
            throw new IllegalArgumentException("the checkpoint's tensor " + name + " is " + array.dataType() + " "
                    + java.util.Arrays.toString(array.shape()) + ", the model's " + like.dataType() + " "
                    + java.util.Arrays.toString(like.shape()));
        }
        return array;
    }

    /** The global model for model.safetensors (see {@link ModelCheckpoint} for the names). */
    public ModelCheckpoint checkpoint(int round, int rank) {
        Classifier model = rounds.model();
        Adapter adapter = rounds.global();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.frozenTensors().forEach((name, array) -> tensors.put(name, tensor(array)));
        for (int u = 0; u < model.layers().size(); u++) {
            tensors.put(model.adaptedLayerName(u) + ".lora_A", tensor(adapter.a().get(u)));
            tensors.put(model.adaptedLayerName(u) + ".lora_B", tensor(adapter.b().get(u)));
        }
        tensors.put("head.weight", tensor(adapter.headWeights()));
        tensors.put("head.bias", tensor(adapter.headBias()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "fedlodrop-" + model.family());
        metadata.put("lora_scale", DoubleSpelling.of(model.layers().get(0).scale()));
        metadata.put("lora_rank", Integer.toString(rank));
        metadata.put("classes", Integer.toString(model.classes()));
        metadata.put("round", Integer.toString(round));
        metadata.putAll(model.checkpointMetadata());
        return new ModelCheckpoint(tensors, metadata);
    }

    private static Tensor tensor(INDArray array) {
        return new Tensor(array.shape(), array.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }
}
