package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.profile.AdaptedLayer;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.profile.ModelProfile;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The rescale option and the size of what exact aggregation makes every device download (docs/model.md §1). */
class DropoutOptionsTest {
    private static final LocalTrainer.Settings TRAINING = new LocalTrainer.Settings(1, 4, 1e-3, LocalTrainer.Optimizer.SGD, 0);

    private static INDArray random(long rows, long columns, SplittableRandom random) {
        double[][] values = new double[(int) rows][(int) columns];
        for (double[] row : values) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextDouble(-1, 1);
            }
        }
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }

    /** The adapter with every A and B multiplied by {@code factor}. */
    private static Adapter scaled(Adapter adapter, double factor) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        adapter.a().forEach(x -> a.add(x.mul(factor)));
        adapter.b().forEach(x -> b.add(x.mul(factor)));
        return new Adapter(a, b, adapter.headWeights(), adapter.headBias());
    }

    /**
     * Rescaling is inverted dropout on both factors: training at rate γ with scale s/(1 − γ)² gives the
     * logits of the unscaled model whose kept entries of Â and B̂ are each divided by 1 − γ.
     */
    private static void assertRescaleIsInvertedDropout(Classifier model, Adapter adapter, INDArray x, SplittableRandom random) {
        double gamma = 0.4;
        FederatedRounds rescaled = new FederatedRounds(model, adapter, AggregationMode.MASKED_MEAN, MaskMode.EXACT, TRAINING, true);
        FederatedRounds plain = new FederatedRounds(model, adapter, AggregationMode.MASKED_MEAN, MaskMode.EXACT, TRAINING, false);
        List<LoraMask> masks = rescaled.masks(gamma, random);
        INDArray expected = model.logits(scaled(adapter, 1 / (1 - gamma)), masks, x);
        INDArray actual = rescaled.trainingModel(gamma).logits(adapter, masks, x);
        assertThat(actual.shape()).isEqualTo(expected.shape());
        for (long i = 0; i < expected.length(); i++) {
            assertThat(actual.getDouble(i)).isCloseTo(expected.getDouble(i), within(1e-10));
        }
        // Off, or at γ = 0, the device trains the global model itself; evaluation never rescales.
        assertThat(plain.trainingModel(gamma)).isSameAs(plain.model());
        assertThat(rescaled.trainingModel(0)).isSameAs(rescaled.model());
        assertThat(rescaled.model().layers().get(0).scale()).isEqualTo(model.layers().get(0).scale());
        INDArray unscaled = model.logits(adapter, masks, x);
        assertThat(unscaled.sub(actual).norm2Number().doubleValue()).isGreaterThan(1e-6);
    }

    @Test
    void rescaleTrainsTheMlpAsInvertedDropout() {
        SplittableRandom random = new SplittableRandom(3);
        MlpClassifier model = new MlpClassifier(List.of(new LoraLayer(random(6, 5, random), 2),
                new LoraLayer(random(4, 6, random), 2)), 3, DataType.DOUBLE);
        Adapter adapter = new Adapter(List.of(random(2, 5, random), random(2, 6, random)),
                List.of(random(6, 2, random), random(4, 2, random)), random(3, 4, random), random(1, 3, random));
        assertRescaleIsInvertedDropout(model, adapter, random(7, 5, random), random);
    }

    @Test
    void rescaleTrainsTheTransformerAsInvertedDropout() {
        SplittableRandom random = new SplittableRandom(5);
        TransformerClassifier.Shape shape = new TransformerClassifier.Shape(12, 6, 8, 2, 2, 16, 2);
        TransformerClassifier model = new TransformerClassifier(shape,
                TransformerClassifier.Weights.random(shape, DataType.DOUBLE, random),
                EnumSet.of(TransformerClassifier.Projection.QUERY, TransformerClassifier.Projection.VALUE), 2, DataType.DOUBLE);
        Adapter initial = model.initialAdapter(2, random);
        // B and the head start at zero; give them values so that the adapter shows in the logits.
        List<INDArray> b = new ArrayList<>();
        initial.b().forEach(x -> b.add(random(x.rows(), x.columns(), random)));
        Adapter adapter = new Adapter(initial.a(), b, random(2, 8, random), random(1, 2, random));
        INDArray tokens = Nd4j.create(new double[][] {{1, 4, 5, 2, 0, 0}, {3, 3, 7, 9, 11, 1}}).castTo(DataType.DOUBLE);
        assertRescaleIsInvertedDropout(model, adapter, tokens, random);
    }

    @Test
    void foldedResidualIsSentFactoredOrDenseWhicheverIsSmaller() {
        ModelProfile profile = new ModelProfile("tiny", 1000,
                List.of(new AdaptedLayer("small", 4, 6), new AdaptedLayer("large", 100, 100)), 10, 8);
        // Rank 1, 2 senders: small layer min(3·1·10, 24) = 24; large layer min(3·1·200, 10,000) = 600.
        assertThat(profile.foldedResidualBits(1, 2, 32)).isEqualTo(32.0 * (24 + 600));
        // Rank 2, 3 senders: min(4·2·10, 24) = 24 and min(4·2·200, 10,000) = 1,600; W0's change is not rounded,
        // so at 16 bits per rounded parameter it still travels at 32, and at 64 at 64.
        assertThat(profile.foldedResidualBits(2, 3, 16)).isEqualTo(32.0 * (24 + 1600));
        assertThat(profile.foldedResidualBits(2, 3, 64)).isEqualTo(64.0 * (24 + 1600));
        // One update or none leaves W0 as it was.
        assertThat(profile.foldedResidualBits(4, 1, 32)).isZero();
        assertThat(profile.foldedResidualBits(4, 0, 32)).isZero();
    }

    /**
     * The factored form counted above is exact: the residual that {@code exact} aggregation folds into
     * W0 equals [w_1 s B̂_1/W, …, w_K s B̂_K/W, −s B̄] · [Â_1; …; Â_K; Ā], (K + 1) r columns and rows.
     */
    @Test
    void foldedResidualIsExactlyTheFactoredProduct() {
        SplittableRandom random = new SplittableRandom(11);
        double s = 1.5;
        MlpClassifier model = new MlpClassifier(List.of(new LoraLayer(random(5, 7, random), s)), 2, DataType.DOUBLE);
        Adapter global = new Adapter(List.of(random(3, 7, random)), List.of(random(5, 3, random)), random(2, 5, random),
                random(1, 2, random));
        double[] weights = {2, 5, 1};
        List<Aggregator.Update> updates = new ArrayList<>();
        for (double w : weights) {
            Adapter trained = new Adapter(List.of(random(3, 7, random)), List.of(random(5, 3, random)), random(2, 5, random),
                    random(1, 2, random));
            updates.add(new Aggregator.Update(trained, List.of(LoraMask.draw(MaskMode.EXACT, 5, 7, 0.3, random)), w));
        }
        Aggregator.Result result = Aggregator.aggregate(AggregationMode.EXACT, model, global, updates);
        double total = 8;
        List<INDArray> left = new ArrayList<>();
        List<INDArray> right = new ArrayList<>();
        for (int k = 0; k < weights.length; k++) {
            LoraMask mask = updates.get(k).masks().get(0);
            left.add(updates.get(k).adapter().b().get(0).mulColumnVector(model.rowMask(mask)).muli(weights[k] * s / total));
            right.add(updates.get(k).adapter().a().get(0).mulRowVector(model.columnMask(mask)));
        }
        left.add(result.adapter().b().get(0).mul(-s));
        right.add(result.adapter().a().get(0));
        INDArray factored = Nd4j.hstack(left.toArray(INDArray[]::new)).mmul(Nd4j.vstack(right.toArray(INDArray[]::new)));
        INDArray residual = result.frozenResiduals().get(0);
        assertThat(factored.columns()).isEqualTo(7);
        for (long i = 0; i < residual.length(); i++) {
            assertThat(factored.getDouble(i)).isCloseTo(residual.getDouble(i), within(1e-12));
        }
        assertThat(residual.norm2Number().doubleValue()).isGreaterThan(1e-3);
    }
}
