package org.fedlodrop.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.AggregationError;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The learning side of FedLoDrop rounds without the network: the server cuts a sub-adapter per device
 * with its dropout rate, each device trains it, the server aggregates and evaluates. The simulator
 * drives the same steps from its actors; this class lets the learning be studied and tested alone.
 */
public final class FederatedRounds {
    private Classifier model;
    private Adapter global;
    private boolean folded;
    private final Aggregator.Rule aggregation;
    private final MaskMode maskMode;
    private final LocalTrainer.Settings training;
    private final boolean rescale;
    private final FrozenHeadInputs frozen;

    /** A round's metrics (docs/model.md §2): training loss on the union of local sets, test loss and accuracy. */
    public record Metrics(double trainLoss, double testLoss, double testAccuracy) {
        /** No metrics, all NaN: a run without a workload, or a round not evaluated ({@code training.evaluate_every}). */
        public static final Metrics NONE = new Metrics(Double.NaN, Double.NaN, Double.NaN);

        public double generalisationGap() {
            return testLoss - trainLoss;
        }
    }

    public FederatedRounds(Classifier model, Adapter initial, AggregationMode aggregation, MaskMode maskMode,
                           LocalTrainer.Settings training) {
        this(model, initial, aggregation, maskMode, training, false);
    }

    /** @param rescale train each sub-adapter with its LoRA scale times 1/(1 − γ)² (docs/model.md §1, option rescale) */
    public FederatedRounds(Classifier model, Adapter initial, AggregationMode aggregation, MaskMode maskMode,
                           LocalTrainer.Settings training, boolean rescale) {
        this(model, initial, Aggregator.Rule.of(aggregation), maskMode, training, rescale);
    }

    /** @param aggregation how the server aggregates: a built-in mode ({@link Aggregator.Rule#of}) or another rule */
    public FederatedRounds(Classifier model, Adapter initial, Aggregator.Rule aggregation, MaskMode maskMode,
                           LocalTrainer.Settings training, boolean rescale) {
        this(model, initial, aggregation, maskMode, training, rescale, FrozenHeadInputs.of(model, training));
    }

    /** @param frozen the run's memo of the head's inputs, shared with its devices' training (see {@link FrozenHeadInputs}) */
    public FederatedRounds(Classifier model, Adapter initial, Aggregator.Rule aggregation, MaskMode maskMode,
                           LocalTrainer.Settings training, boolean rescale, FrozenHeadInputs frozen) {
        this.frozen = frozen;
        this.rescale = rescale;
        this.model = model;
        this.global = initial.copy();
        this.aggregation = aggregation;
        this.maskMode = maskMode;
        this.training = training;
    }

    public Adapter global() {
        return global;
    }

    /** Whether aggregation has changed W0 (under {@code exact}): a checkpoint must then keep it. */
    public boolean folded() {
        return folded;
    }

    /**
     * Puts back the state a checkpoint kept: the global adapter, and W0 of each adapted layer where aggregation
     * had folded it (empty: W0 as the run started).
     */
    public void restore(Adapter adapter, List<INDArray> frozen) {
        global = adapter;
        if (!frozen.isEmpty()) {
            List<LoraLayer> restored = new ArrayList<>();
            for (int u = 0; u < model.layers().size(); u++) {
                restored.add(new LoraLayer(frozen.get(u), model.layers().get(u).scale()));
            }
            model = model.withAdaptedLayers(restored);
            folded = true;
        }
    }

    public Classifier model() {
        return model;
    }

    /**
     * The model a device trains its sub-adapter on at rate γ: the current global model (with W0 as
     * folded so far under {@code exact}), its LoRA scale times 1/(1 − γ)² under {@code rescale}.
     * Evaluation always uses the unscaled model.
     */
    public Classifier trainingModel(double gamma) {
        return trainingModel(model, rescale, gamma);
    }

    /**
     * {@code base} as a device at rate γ trains on it: the same instance, or under {@code rescale} a copy with
     * its LoRA scale times 1/(1 − γ)² (a device on another cluster member starts from its own base).
     */
    public static Classifier trainingModel(Classifier base, boolean rescale, double gamma) {
        return rescale && gamma > 0 ? base.withLoraScaled(1 / ((1 - gamma) * (1 - gamma))) : base;
    }

    /** Masks for one device at rate γ, one per adapted layer. */
    public List<LoraMask> masks(double gamma, RandomGenerator random) {
        List<LoraMask> masks = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            masks.add(LoraMask.draw(maskMode, layer.rows(), layer.columns(), gamma, random));
        }
        return masks;
    }

    /** One round over the given devices: local training at each γ_k, then aggregation weighted by D_k. */
    public void round(List<Dataset> local, double[] gammas, RandomGenerator serverRandom, List<RandomGenerator> deviceRandom) {
        List<Aggregator.Update> updates = new ArrayList<>();
        for (int k = 0; k < local.size(); k++) {
            List<LoraMask> masks = masks(gammas[k], serverRandom);
            LocalTrainer.Outcome outcome = LocalTrainer.train(trainingModel(gammas[k]), new LocalTrainer.Job(global, masks,
                    local.get(k), training, deviceRandom.get(k)).with(frozen));
            updates.add(new Aggregator.Update(outcome.adapter(), masks, local.get(k).size()));
        }
        apply(updates);
    }

    /**
     * Aggregates trained sub-adapters into the global adapter (and W0 under {@code exact}), and returns each
     * adapted layer's aggregation error against the mean of the devices' models ({@link AggregationError}).
     */
    public List<AggregationError.Layer> apply(List<Aggregator.Update> updates) {
        Classifier before = model;
        Adapter globalBefore = global;
        Aggregator.Result result = aggregation.aggregate(model, global, updates);
        global = result.adapter();
        if (!result.frozenResiduals().isEmpty()) {
            List<LoraLayer> folded = new ArrayList<>();
            for (int u = 0; u < model.layers().size(); u++) {
                LoraLayer layer = model.layers().get(u);
                folded.add(new LoraLayer(layer.frozen().add(result.frozenResiduals().get(u)), layer.scale()));
            }
            model = model.withAdaptedLayers(folded);
            this.folded = true;
        }
        return AggregationError.measure(before, globalBefore, updates, model, global);
    }

    /**
     * A buffered server step (FedBuff; docs/buffered.md): the rule over the updates (each already rebased on the
     * current model and weighted by its data times its staleness weight), then the model moved {@code step} of the
     * way from where it is to the rule's result: {@code x + step (R(x) − x)}, with {@code step = η Σ D s(τ) / Σ D}, which
     * for a weighted mean is x + η Σ D s(τ) Δ / Σ D. At step 1 it is {@link #apply}, to the bit.
     */
    public List<AggregationError.Layer> applyBuffered(List<Aggregator.Update> updates, double step) {
        if (step == 1 || updates.isEmpty()) {
            return apply(updates);
        }
        Classifier before = model;
        Adapter globalBefore = global;
        Aggregator.Result result = aggregation.aggregate(model, global, updates);
        global = towards(global, result.adapter(), step);
        if (!result.frozenResiduals().isEmpty()) {
            List<LoraLayer> folded = new ArrayList<>();
            for (int u = 0; u < model.layers().size(); u++) {
                LoraLayer layer = model.layers().get(u);
                folded.add(new LoraLayer(layer.frozen().add(result.frozenResiduals().get(u).mul(step)), layer.scale()));
            }
            model = model.withAdaptedLayers(folded);
            this.folded = true;
        }
        return AggregationError.measure(before, globalBefore, updates, model, global);
    }

    /** {@code from + step (to − from)}, array by array. */
    private static Adapter towards(Adapter from, Adapter to, double step) {
        return plusScaledDifference(from, to, from, step);
    }

    /**
     * A device's trained adapter moved onto the current model (docs/buffered.md): {@code current + (trained − base)},
     * the change it made to the model it started from, applied to the one it is aggregated into.
     */
    public static Adapter rebased(Adapter trained, Adapter base, Adapter current) {
        return plusScaledDifference(current, trained, base, 1);
    }

    /** {@code x + c (y − z)}, array by array ({@code c = 1} multiplies by nothing). */
    private static Adapter plusScaledDifference(Adapter x, Adapter y, Adapter z, double c) {
        java.util.function.BinaryOperator<INDArray> scaled = (after, before) -> c == 1 ? after.sub(before)
                : after.sub(before).muli(c);
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < x.a().size(); u++) {
            a.add(x.a().get(u).add(scaled.apply(y.a().get(u), z.a().get(u))));
            b.add(x.b().get(u).add(scaled.apply(y.b().get(u), z.b().get(u))));
        }
        return new Adapter(a, b, x.headWeights().add(scaled.apply(y.headWeights(), z.headWeights())),
                x.headBias().add(scaled.apply(y.headBias(), z.headBias())));
    }

    /** Takes {@code other}'s model as its own (an edge server receiving the cloud's merge): W0, adapter and head. */
    public void adopt(FederatedRounds other) {
        model = other.model;
        global = other.global.copy();
        folded = other.folded;
    }

    /**
     * The cloud's merge of edge models (docs/hierarchy.md): W0 the weighted mean of theirs where any has folded
     * it, then this rule applied to their adapters as updates that kept every entry, each with its weight. A
     * model of weight 0 takes no part; with none left, nothing changes. Returns the merge's aggregation error
     * by layer, as {@link #apply} does.
     */
    public List<AggregationError.Layer> merge(List<FederatedRounds> edges, double[] weights) {
        if (edges.size() != weights.length) {
            throw new IllegalArgumentException(edges.size() + " models and " + weights.length + " weights");
        }
        double total = 0;
        boolean anyFolded = false;
        List<Aggregator.Update> updates = new ArrayList<>();
        for (int e = 0; e < edges.size(); e++) {
            if (weights[e] > 0) {
                FederatedRounds edge = edges.get(e);
                total += weights[e];
                anyFolded |= edge.folded;
                List<LoraMask> full = new ArrayList<>();
                for (LoraLayer layer : edge.model.layers()) {
                    full.add(LoraMask.full(layer.rows(), layer.columns()));
                }
                updates.add(new Aggregator.Update(edge.global, full, weights[e]));
            }
        }
        if (updates.isEmpty()) {
            return List.of();
        }
        if (anyFolded) {
            // Under exact aggregation every edge has its own W0: their data-weighted mean, to which the rule's
            // residual is then added, makes the mean of the edges' effective weights (eq. 4).
            List<LoraLayer> merged = new ArrayList<>();
            for (int u = 0; u < model.layers().size(); u++) {
                INDArray sum = null;
                for (int e = 0; e < edges.size(); e++) {
                    if (weights[e] > 0) {
                        INDArray part = edges.get(e).model.layers().get(u).frozen().mul(weights[e] / total);
                        sum = sum == null ? part : sum.addi(part);
                    }
                }
                merged.add(new LoraLayer(sum, model.layers().get(u).scale()));
            }
            model = model.withAdaptedLayers(merged);
            folded = true;
        }
        return apply(updates);
    }

    public Metrics evaluate(List<Dataset> local, Dataset test) {
        return evaluate(local, test, Runnable::run);
    }

    /**
     * As {@link #evaluate(List, Dataset)}, each dataset evaluated as a task of its own on {@code executor} (the
     * run's training threads, idle while the server aggregates), the losses then summed in device order: the same
     * doubles as one dataset after another on one thread (docs/models.md, Threads and determinism).
     */
    public Metrics evaluate(List<Dataset> local, Dataset test, Executor executor) {
        Classifier evaluated = model;
        Adapter adapter = global;
        TrainingEngine engine = training.engine();
        // The test set first: the largest part, so that the devices' parts fill the other threads meanwhile.
        var tested = CompletableFuture.supplyAsync(
                () -> LocalTrainer.evaluate(evaluated, adapter, test, engine, frozen), executor);
        List<CompletableFuture<Classifier.Evaluation>> parts = new ArrayList<>();
        for (Dataset data : local) {
            parts.add(CompletableFuture.supplyAsync(
                    () -> LocalTrainer.evaluate(evaluated, adapter, data, engine, frozen), executor));
        }
        double trainSum = 0;
        long trainCount = 0;
        for (int k = 0; k < local.size(); k++) {
            trainSum += joined(parts.get(k)).loss() * local.get(k).size();
            trainCount += local.get(k).size();
        }
        Classifier.Evaluation onTest = joined(tested);
        return new Metrics(trainSum / trainCount, onTest.loss(), onTest.accuracy());
    }

    /** The task's result, or what it threw, as it threw it (a plugin family's failure keeps its type). */
    private static <T> T joined(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }
}
