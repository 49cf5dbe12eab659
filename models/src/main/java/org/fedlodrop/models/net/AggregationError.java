package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How far an aggregation rule moves each adapted weight from where the devices' trained sub-adapters,
 * averaged as models, would put it (docs/model.md eq. 4, "Aggregation error").
 *
 * <p>The round starts from {@code W = W0 + s B A}. Device k trains its sub-adapter and so the model
 * {@code W0 + s B̂_k Â_k}; the data-weighted mean of these models changes W by
 * {@code T = Σ_k ρ_k s B̂_k Â_k − s B A} (what {@code exact} applies). A rule that leaves
 * {@code W' = W0' + s B' A'} changes it by {@code R = W' − W}. This class reports ‖T‖, ‖R‖ and ‖R − T‖
 * (Frobenius norms) per layer. Everything is computed here in double precision with plain loops from the
 * arrays' values, independently of {@link Aggregator}, so that it checks the aggregation too.
 */
public final class AggregationError {
    private AggregationError() {
    }

    /**
     * One adapted layer's round: the change the mean of the devices' models makes, the change the rule
     * made, and the norm of their difference.
     */
    public record Layer(String name, double targetChange, double appliedChange, double error) {
        /** ‖R − T‖ / ‖T‖; NaN when the devices changed nothing. */
        public double relativeError() {
            return targetChange > 0 ? error / targetChange : Double.NaN;
        }

        /** ‖R‖ / ‖T‖: above 1, the rule moved the weight further than the devices' models did on average. */
        public double amplification() {
            return targetChange > 0 ? appliedChange / targetChange : Double.NaN;
        }
    }

    /**
     * Every adapted layer's error of one aggregation.
     *
     * @param before        the model the round started from (its W0 and scale s)
     * @param globalBefore  the global adapter the sub-adapters were cut from
     * @param updates       the devices' trained sub-adapters, masks and data weights
     * @param after         the model after aggregation (W0 changed under {@code exact})
     * @param globalAfter   the global adapter after aggregation
     */
    public static List<Layer> measure(Classifier before, Adapter globalBefore, List<Aggregator.Update> updates,
                                      Classifier after, Adapter globalAfter) {
        List<Layer> layers = new ArrayList<>();
        if (updates.isEmpty()) {
            return layers;
        }
        double total = updates.stream().mapToDouble(Aggregator.Update::weight).sum();
        for (int u = 0; u < globalBefore.layers(); u++) {
            double s = before.layers().get(u).scale();
            double[][] start = product(globalBefore.b().get(u), globalBefore.a().get(u), null, s);
            double[][] target = new double[start.length][start[0].length];
            addTo(target, start, -1);
            for (Aggregator.Update update : updates) {
                double[][] device = product(update.adapter().b().get(u), update.adapter().a().get(u),
                        update.masks().get(u), s);
                addTo(target, device, update.weight() / total);
            }
            double[][] applied = product(globalAfter.b().get(u), globalAfter.a().get(u), null, s);
            addTo(applied, start, -1);
            addTo(applied, matrix(after.layers().get(u).frozen()), 1);
            addTo(applied, matrix(before.layers().get(u).frozen()), -1);
            layers.add(new Layer(before.adaptedLayerName(u), norm(target), norm(applied), distance(applied, target)));
        }
        return layers;
    }

    /** {@code s B̂ Â}: B's rows and A's columns outside the mask (if any) taken as zero. */
    private static double[][] product(INDArray bArray, INDArray aArray, LoraMask mask, double s) {
        double[][] b = matrix(bArray);
        double[][] a = matrix(aArray);
        int n1 = b.length;
        int r = a.length;
        int n2 = a[0].length;
        double[][] p = new double[n1][n2];
        for (int i = 0; i < n1; i++) {
            if (mask != null && !mask.rows()[i]) {
                continue;
            }
            for (int q = 0; q < r; q++) {
                double bi = s * b[i][q];
                double[] aq = a[q];
                double[] pi = p[i];
                for (int j = 0; j < n2; j++) {
                    if (mask == null || mask.columns()[j]) {
                        pi[j] += bi * aq[j];
                    }
                }
            }
        }
        return p;
    }

    private static double[][] matrix(INDArray array) {
        INDArray values = array.castTo(DataType.DOUBLE);
        int rows = (int) array.rows();
        int columns = (int) array.columns();
        double[] flat = values.dup('c').data().asDouble();
        double[][] m = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * columns, m[i], 0, columns);
        }
        return m;
    }

    private static void addTo(double[][] sum, double[][] term, double factor) {
        for (int i = 0; i < sum.length; i++) {
            for (int j = 0; j < sum[i].length; j++) {
                sum[i][j] += factor * term[i][j];
            }
        }
    }

    private static double norm(double[][] m) {
        double sum = 0;
        for (double[] row : m) {
            for (double v : row) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    private static double distance(double[][] x, double[][] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                double d = x[i][j] - y[i][j];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }
}
