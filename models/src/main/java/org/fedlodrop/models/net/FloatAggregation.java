package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.lora.LoraMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Aggregator}'s masked and zero-filled means of float32 adapters, in Java arrays: the same
 * operations on the same floats as its ND4J path (each product and sum rounded to float32, weights cast to
 * float as ND4J casts a scalar; a masked mean's quotient taken in double and rounded, as
 * {@code getDouble}/{@code putScalar} did), so the same bits ({@code AggregatorTest}). ND4J made some
 * thirty operations per device and layer and read the masked means entry by entry, a fifth of a
 * synthetic run's time once the JIT had warmed up.
 */
final class FloatAggregation {
    private FloatAggregation() {
    }

    static Adapter aggregate(boolean maskedMean, Adapter global, List<Aggregator.Update> updates) {
        double total = updates.stream().mapToDouble(Aggregator.Update::weight).sum();
        float divisor = (float) total;
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < global.layers(); u++) {
            INDArray globalA = global.a().get(u);
            INDArray globalB = global.b().get(u);
            int rank = (int) globalA.rows();
            int columns = (int) globalA.columns();
            int rows = (int) globalB.rows();
            float[] sumA = new float[rank * columns];
            float[] sumB = new float[rows * rank];
            float[] coverA = new float[columns];
            float[] coverB = new float[rows];
            for (Aggregator.Update update : updates) {
                float weight = (float) update.weight();
                LoraMask mask = update.masks().get(u);
                float[] deviceA = floats(update.adapter().a().get(u));
                float[] deviceB = floats(update.adapter().b().get(u));
                for (int k = 0; k < rank; k++) {
                    for (int c = 0; c < columns; c++) {
                        float kept = mask.columns()[c] ? 1f : 0f;
                        sumA[k * columns + c] += deviceA[k * columns + c] * kept * weight;
                    }
                }
                for (int i = 0; i < rows; i++) {
                    float kept = mask.rows()[i] ? 1f : 0f;
                    for (int k = 0; k < rank; k++) {
                        sumB[i * rank + k] += deviceB[i * rank + k] * kept * weight;
                    }
                }
                for (int c = 0; c < columns; c++) {
                    coverA[c] += (mask.columns()[c] ? 1f : 0f) * weight;
                }
                for (int i = 0; i < rows; i++) {
                    coverB[i] += (mask.rows()[i] ? 1f : 0f) * weight;
                }
            }
            if (maskedMean) {
                a.add(array(maskedMean(sumA, columns, coverA, false, floats(globalA)), rank, columns));
                b.add(array(maskedMean(sumB, rank, coverB, true, floats(globalB)), rows, rank));
            } else {
                a.add(array(divide(sumA, divisor), rank, columns));
                b.add(array(divide(sumB, divisor), rows, rank));
            }
        }
        INDArray headWeights = global.headWeights();
        INDArray headBias = global.headBias();
        float[] head = new float[(int) headWeights.length()];
        float[] bias = new float[(int) headBias.length()];
        for (Aggregator.Update update : updates) {
            float weight = (float) update.weight();
            float[] deviceHead = floats(update.adapter().headWeights());
            float[] deviceBias = floats(update.adapter().headBias());
            for (int e = 0; e < head.length; e++) {
                head[e] += deviceHead[e] * weight;
            }
            for (int e = 0; e < bias.length; e++) {
                bias[e] += deviceBias[e] * weight;
            }
        }
        return new Adapter(a, b, Nd4j.create(divide(head, divisor), headWeights.shape(), 'c'),
                Nd4j.create(divide(bias, divisor), headBias.shape(), 'c'));
    }

    /**
     * sum / cover where some device kept the entry, the global value where none did, written over the
     * (fresh) copy of the global values; the cover is per column ({@code byRow} false, A) or per row (B) of
     * a matrix {@code width} wide.
     */
    private static float[] maskedMean(float[] sum, int width, float[] cover, boolean byRow, float[] global) {
        for (int e = 0; e < sum.length; e++) {
            double weight = cover[byRow ? e / width : e % width];
            if (weight > 0) {
                global[e] = (float) (sum[e] / weight);
            }
        }
        return global;
    }

    private static float[] divide(float[] values, float divisor) {
        for (int e = 0; e < values.length; e++) {
            values[e] /= divisor;
        }
        return values;
    }

    /** The entries in row-major order (a fresh copy, whatever the array's layout). */
    private static float[] floats(INDArray array) {
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static INDArray array(float[] values, int rows, int columns) {
        return Nd4j.create(values, new long[] {rows, columns}, 'c');
    }
}
