package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Aggregation of sub-adapters at the server (docs/model.md eq. 4). */
public final class Aggregator {
    private Aggregator() {
    }

    /**
     * One device's trained sub-adapter: entries outside its masks are ignored.
     *
     * @param device the device's index, -1 where nobody asks (the built-in rules do not)
     * @param gamma  the dropout rate it trained at, NaN where nobody asks
     */
    public record Update(Adapter adapter, List<LoraMask> masks, double weight, int device, double gamma) {
        public Update(Adapter adapter, List<LoraMask> masks, double weight) {
            this(adapter, masks, weight, -1, Double.NaN);
        }
    }

    /**
     * A way of aggregating: the built-in modes through {@link #aggregate}, or a researcher's own rule
     * (the simulator's plugins).
     */
    @FunctionalInterface
    public interface Rule {
        Result aggregate(Classifier model, Adapter global, List<Update> updates);

        static Rule of(AggregationMode mode) {
            return (model, global, updates) -> Aggregator.aggregate(mode, model, global, updates);
        }
    }

    /**
     * The new global adapter and, under {@code exact}, the residual of every layer to add to its frozen
     * weight W0 (which devices must then download too); empty otherwise.
     */
    public record Result(Adapter adapter, List<INDArray> frozenResiduals) {
    }

    public static Result aggregate(AggregationMode mode, Classifier model, Adapter global, List<Update> updates) {
        if (updates.isEmpty()) {
            return new Result(global.copy(), List.of());
        }
        if (mode != AggregationMode.EXACT && model.dataType() == DataType.FLOAT) {
            return new Result(FloatAggregation.aggregate(mode == AggregationMode.MASKED_MEAN, global, updates), List.of());
        }
        return inNd4j(mode, model, global, updates);
    }

    /**
     * Every mode and data type through ND4J's operations: the reference {@link FloatAggregation} is checked
     * against, and the path of {@code exact} (whose products ND4J's BLAS sums) and of float64 models.
     */
    static Result inNd4j(AggregationMode mode, Classifier model, Adapter global, List<Update> updates) {
        double total = updates.stream().mapToDouble(Update::weight).sum();
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        List<INDArray> residuals = new ArrayList<>();
        for (int u = 0; u < global.layers(); u++) {
            INDArray sumA = global.a().get(u).like();
            INDArray sumB = global.b().get(u).like();
            INDArray coverA = model.columnMask(updates.get(0).masks().get(u)).like();
            INDArray coverB = model.rowMask(updates.get(0).masks().get(u)).like();
            INDArray product = mode == AggregationMode.EXACT ? model.layers().get(u).frozen().like() : null;
            for (Update update : updates) {
                INDArray columns = model.columnMask(update.masks().get(u));
                INDArray rows = model.rowMask(update.masks().get(u));
                INDArray maskedA = update.adapter().a().get(u).mul(columns);
                INDArray maskedB = update.adapter().b().get(u).mul(rows);
                sumA.addi(maskedA.mul(update.weight()));
                sumB.addi(maskedB.mul(update.weight()));
                coverA.addi(columns.mul(update.weight()));
                coverB.addi(rows.mul(update.weight()));
                if (product != null) {
                    product.addi(maskedB.mmul(maskedA).muli(update.weight() * model.layers().get(u).scale()));
                }
            }
            if (mode == AggregationMode.MASKED_MEAN) {
                a.add(maskedMean(sumA, coverA.broadcast(sumA.shape()), global.a().get(u)));
                b.add(maskedMean(sumB, coverB.broadcast(sumB.shape()), global.b().get(u)));
            } else {
                a.add(sumA.divi(total));
                b.add(sumB.divi(total));
            }
            if (product != null) {
                double s = model.layers().get(u).scale();
                residuals.add(product.divi(total).subi(b.get(u).mmul(a.get(u)).muli(s)));
            }
        }
        INDArray head = global.headWeights().like();
        INDArray bias = global.headBias().like();
        for (Update update : updates) {
            head.addi(update.adapter().headWeights().mul(update.weight()));
            bias.addi(update.adapter().headBias().mul(update.weight()));
        }
        return new Result(new Adapter(a, b, head.divi(total), bias.divi(total)), residuals);
    }

    /** sum / cover where some device kept the entry, the global value where none did. */
    private static INDArray maskedMean(INDArray sum, INDArray cover, INDArray global) {
        INDArray result = global.dup();
        for (long i = 0; i < sum.length(); i++) {
            double weight = cover.getDouble(i);
            if (weight > 0) {
                result.putScalar(i, sum.getDouble(i) / weight);
            }
        }
        return result;
    }
}
