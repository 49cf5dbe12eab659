package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.AggregationError;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The aggregation error of each rule against the mean of the devices' models, by hand and at random. */
class AggregationErrorTest {
    private static INDArray m(double[][] values) {
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }

    private static MlpClassifier model(INDArray w0, double scale) {
        return new MlpClassifier(List.of(new LoraLayer(w0, scale)), 2, DataType.DOUBLE);
    }

    private static Adapter adapter(double[][] a, double[][] b) {
        return new Adapter(List.of(m(a)), List.of(m(b)), m(new double[][] {{0, 0}, {0, 0}}), m(new double[][] {{0, 0}}));
    }

    private static List<AggregationError.Layer> errors(AggregationMode mode, Classifier model, Adapter global,
                                                       List<Aggregator.Update> updates) {
        FederatedRounds rounds = new FederatedRounds(model, global, mode, MaskMode.EXACT,
                new LocalTrainer.Settings(1, 1, 0.1, LocalTrainer.Optimizer.SGD, 0));
        return rounds.apply(updates);
    }

    /**
     * Rank 1, W0 ∈ R^{1×1}, two devices of equal weight that keep everything, from A = B = 0: the mean of
     * the models changes W by s (b1 a1 + b2 a2) / 2, the mean of the factors by s (b1 + b2)(a1 + a2) / 4,
     * and they differ by s (b1 − b2)(a1 − a2) / 4.
     */
    @Test
    void meanOfTheFactorsMissesTheMeanOfTheModelsByHand() {
        double s = 2;
        double a1 = 3, b1 = 5, a2 = -1, b2 = 2;
        Classifier model = model(m(new double[][] {{0.5}}), s);
        Adapter global = adapter(new double[][] {{0}}, new double[][] {{0}});
        LoraMask all = LoraMask.full(1, 1);
        List<Aggregator.Update> updates = List.of(
                new Aggregator.Update(adapter(new double[][] {{a1}}, new double[][] {{b1}}), List.of(all), 1),
                new Aggregator.Update(adapter(new double[][] {{a2}}, new double[][] {{b2}}), List.of(all), 1));
        AggregationError.Layer masked = errors(AggregationMode.MASKED_MEAN, model, global, updates).get(0);
        assertThat(masked.targetChange()).isCloseTo(Math.abs(s * (b1 * a1 + b2 * a2) / 2), within(1e-12));
        assertThat(masked.appliedChange()).isCloseTo(Math.abs(s * (b1 + b2) * (a1 + a2) / 4), within(1e-12));
        assertThat(masked.error()).isCloseTo(Math.abs(s * (b1 - b2) * (a1 - a2) / 4), within(1e-12));
        assertThat(masked.name()).isEqualTo(model.adaptedLayerName(0));

        AggregationError.Layer exact = errors(AggregationMode.EXACT, model, global, updates).get(0);
        assertThat(exact.error()).isCloseTo(0, within(1e-12));
        assertThat(exact.amplification()).isCloseTo(1, within(1e-12));
    }

    /**
     * Random adapters and masks at γ = 0.5: {@code exact} applies the mean of the devices' models (error at
     * float64 rounding), the factor means do not; with one device keeping everything every rule is exact.
     */
    @Test
    void exactAggregationHasNoErrorAndTheFactorMeansHaveSome() {
        Random random = new Random(7);
        int n1 = 6, n2 = 5, r = 2;
        Classifier model = model(Nd4j.rand(DataType.DOUBLE, n1, n2), 1.5);
        Adapter global = new Adapter(List.of(Nd4j.randn(DataType.DOUBLE, r, n2)), List.of(Nd4j.randn(DataType.DOUBLE, n1, r)),
                Nd4j.zeros(DataType.DOUBLE, 2, 2), Nd4j.zeros(DataType.DOUBLE, 1, 2));
        List<Aggregator.Update> updates = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Adapter trained = new Adapter(List.of(Nd4j.randn(DataType.DOUBLE, r, n2)), List.of(Nd4j.randn(DataType.DOUBLE, n1, r)),
                    Nd4j.zeros(DataType.DOUBLE, 2, 2), Nd4j.zeros(DataType.DOUBLE, 1, 2));
            updates.add(new Aggregator.Update(trained, List.of(LoraMask.draw(MaskMode.EXACT, n1, n2, 0.5, random)), 1 + k));
        }
        AggregationError.Layer exact = errors(AggregationMode.EXACT, model, global, updates).get(0);
        assertThat(exact.targetChange()).isGreaterThan(0.1);
        assertThat(exact.relativeError()).isLessThan(1e-12);
        assertThat(errors(AggregationMode.MASKED_MEAN, model, global, updates).get(0).relativeError()).isGreaterThan(0.05);
        assertThat(errors(AggregationMode.ZERO_FILL_MEAN, model, global, updates).get(0).relativeError()).isGreaterThan(0.05);

        List<Aggregator.Update> alone = List.of(new Aggregator.Update(updates.get(0).adapter(), List.of(LoraMask.full(n1, n2)), 1));
        for (AggregationMode mode : AggregationMode.values()) {
            assertThat(errors(mode, model, global, alone).get(0).relativeError()).as(mode.name()).isLessThan(1e-12);
        }
    }
}
