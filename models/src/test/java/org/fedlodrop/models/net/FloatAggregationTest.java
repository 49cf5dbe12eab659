package org.fedlodrop.models.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The float32 aggregation in Java arrays against ND4J's operations, bit for bit. */
class FloatAggregationTest {
    private static final int RANK = 3;
    private static final int[][] LAYERS = {{7, 5}, {4, 7}}; // n1 × n2 of each W0

    private static INDArray gaussian(SplittableRandom random, int rows, int columns) {
        float[] values = new float[rows * columns];
        for (int e = 0; e < values.length; e++) {
            values[e] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {rows, columns}, 'c');
    }

    private static Adapter adapter(SplittableRandom random) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int[] layer : LAYERS) {
            a.add(gaussian(random, RANK, layer[1]));
            b.add(gaussian(random, layer[0], RANK));
        }
        return new Adapter(a, b, gaussian(random, 2, 4), gaussian(random, 1, 2));
    }

    private static boolean[] kept(SplittableRandom random, int n, double rate) {
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept[i] = random.nextDouble() >= rate;
        }
        return kept;
    }

    @Test
    void javaArraysGiveNd4jsBits() {
        SplittableRandom random = new SplittableRandom(23);
        List<LoraLayer> layers = new ArrayList<>();
        for (int[] layer : LAYERS) {
            layers.add(new LoraLayer(gaussian(random, layer[0], layer[1]), 2));
        }
        MlpClassifier model = new MlpClassifier(layers, 2, DataType.FLOAT);
        for (int trial = 0; trial < 20; trial++) {
            Adapter global = adapter(random);
            List<Aggregator.Update> updates = new ArrayList<>();
            int devices = 1 + random.nextInt(6);
            for (int d = 0; d < devices; d++) {
                List<LoraMask> masks = new ArrayList<>();
                for (int[] layer : LAYERS) {
                    // High rates, so that some entries are kept by nobody and keep the global value.
                    masks.add(new LoraMask(kept(random, layer[0], 0.6), kept(random, layer[1], 0.6)));
                }
                // Weights that float32 cannot hold exactly, as well as sample counts.
                double weight = trial % 2 == 0 ? 1 + random.nextInt(40) : 0.1 + random.nextDouble() * 30;
                updates.add(new Aggregator.Update(adapter(random), masks, weight));
            }
            for (AggregationMode mode : List.of(AggregationMode.MASKED_MEAN, AggregationMode.ZERO_FILL_MEAN)) {
                Adapter java = Aggregator.aggregate(mode, model, global, updates).adapter();
                Adapter nd4j = Aggregator.inNd4j(mode, model, global, updates).adapter();
                List<INDArray> expected = nd4j.arrays();
                List<INDArray> actual = java.arrays();
                assertThat(actual).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).shape()).isEqualTo(expected.get(i).shape());
                    assertThat(bits(actual.get(i))).as("%s, trial %d, array %d", mode, trial, i)
                            .isEqualTo(bits(expected.get(i)));
                }
            }
        }
    }

    private static int[] bits(INDArray array) {
        float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] bits = new int[values.length];
        for (int e = 0; e < values.length; e++) {
            bits[e] = Float.floatToRawIntBits(values[e]);
        }
        return bits;
    }
}
