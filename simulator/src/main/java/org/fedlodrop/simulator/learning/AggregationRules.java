package org.fedlodrop.simulator.learning;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.api.aggregation.AggregationExtension;
import org.fedlodrop.api.aggregation.AggregationRule;
import org.fedlodrop.api.aggregation.DeviceUpdate;
import org.fedlodrop.api.aggregation.LayerMask;
import org.fedlodrop.api.aggregation.LoraState;
import org.fedlodrop.api.aggregation.Matrix;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.simulator.extension.ExtensionFailure;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.scenario.ExtensionSpec;
import org.fedlodrop.simulator.scenario.Scenario;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The aggregation rule {@code dropout.aggregation} names, built-in or a plugin's, with its settings. */
public final class AggregationRules {
    private AggregationRules() {
    }

    public static Aggregator.Rule of(Scenario scenario, Extensions extensions) {
        Extensions.Registered registered = ExtensionSpec.registered(scenario, ExtensionKind.AGGREGATION, extensions);
        if (registered.extension() instanceof BuiltInAggregation builtIn) {
            return Aggregator.Rule.of(builtIn.mode());
        }
        String name = ExtensionFailure.name(registered);
        AggregationRule rule = ExtensionFailure.built(registered, "rule", () -> build(
                (AggregationExtension<?>) registered.extension(),
                ExtensionSpec.bind(scenario, ExtensionKind.AGGREGATION, extensions)));
        return (model, global, updates) -> apply(name, rule, model, global, updates);
    }

    /** Whether the scenario's rule is the built-in {@code exact}, which folds W0 on the server and sends it down. */
    public static boolean foldsBase(Scenario scenario, Extensions extensions) {
        return extensions.find(ExtensionKind.AGGREGATION, scenario.dropout().aggregation())
                .map(r -> r.extension() instanceof BuiltInAggregation b && b.mode() == AggregationMode.EXACT)
                .orElse(false);
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> AggregationRule build(AggregationExtension<S> extension, Record settings) {
        return extension.build((S) settings);
    }

    private static Aggregator.Result apply(String name, AggregationRule rule, Classifier model, Adapter global,
                                           List<Aggregator.Update> updates) {
        if (updates.isEmpty()) {
            return new Aggregator.Result(global.copy(), List.of());
        }
        LoraState before = state(global);
        List<DeviceUpdate> uploads = new ArrayList<>(updates.size());
        for (Aggregator.Update update : updates) {
            List<LayerMask> masks = new ArrayList<>();
            for (LoraMask mask : update.masks()) {
                masks.add(new LayerMask(mask.rows(), mask.columns()));
            }
            uploads.add(new DeviceUpdate(update.device(), state(update.adapter()), masks, update.weight(), update.gamma()));
        }
        LoraState after;
        try {
            after = rule.aggregate(before, uploads);
        } catch (RuntimeException | LinkageError e) {
            throw new ExtensionFailure(name + " failed: " + e, e);
        }
        if (after == null) {
            throw new ExtensionFailure(name + " returned no adapter", null);
        }
        if (after.layers() != before.layers()) {
            throw new ExtensionFailure(name + ": expected an adapter of " + before.layers() + " layers, got " + after.layers(), null);
        }
        DataType type = model.dataType();
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < before.layers(); u++) {
            a.add(array(name, "A[" + u + "]", before.a().get(u), global.a().get(u), after.a().get(u), type));
            b.add(array(name, "B[" + u + "]", before.b().get(u), global.b().get(u), after.b().get(u), type));
        }
        return new Aggregator.Result(new Adapter(a, b,
                array(name, "head weights", before.headWeights(), global.headWeights(), after.headWeights(), type),
                array(name, "head bias", before.headBias(), global.headBias(), after.headBias(), type)), List.of());
    }

    private static LoraState state(Adapter adapter) {
        List<Matrix> a = new ArrayList<>();
        List<Matrix> b = new ArrayList<>();
        for (int u = 0; u < adapter.layers(); u++) {
            a.add(matrix(adapter.a().get(u)));
            b.add(matrix(adapter.b().get(u)));
        }
        return new LoraState(a, b, matrix(adapter.headWeights()), matrix(adapter.headBias()));
    }

    private static Matrix matrix(INDArray array) {
        INDArray matrix = array.rank() == 1 ? array.reshape(1, array.length()) : array;
        return new Matrix((int) matrix.rows(), (int) matrix.columns(), matrix.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }

    /** {@code given}, of {@code expected}'s size, as an array of {@code original}'s shape and the model's data type. */
    private static INDArray array(String name, String what, Matrix expected, INDArray original, Matrix given,
                                  DataType type) {
        if (given == null || given.rows() != expected.rows() || given.columns() != expected.columns()) {
            throw new ExtensionFailure(name + ": expected " + what + " of " + expected.rows() + "×" + expected.columns()
                    + ", got " + (given == null ? "none" : given.rows() + "×" + given.columns()), null);
        }
        float[] values = given.values();
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ExtensionFailure(name + ": " + what + " has a value that is not finite (" + v + ")", null);
            }
        }
        return Nd4j.create(values, original.shape(), 'c').castTo(type);
    }
}
