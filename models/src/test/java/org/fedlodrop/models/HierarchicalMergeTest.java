package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The cloud's merge of cells' models (docs/hierarchy.md) against the weighted means computed directly, and the
 * two-level aggregation of one round against the flat one.
 */
class HierarchicalMergeTest {
    private static final int N1 = 6;
    private static final int N2 = 5;
    private static final int R = 2;
    private static final double SCALE = 1.5;
    private static final LocalTrainer.Settings TRAINING = new LocalTrainer.Settings(1, 1, 0.1, LocalTrainer.Optimizer.SGD, 0);

    private static MlpClassifier model(INDArray w0) {
        return new MlpClassifier(List.of(new LoraLayer(w0, SCALE)), 3, DataType.DOUBLE);
    }

    private static Adapter randomAdapter(Random random) {
        return new Adapter(List.of(Nd4j.randn(DataType.DOUBLE, R, N2).muli(random.nextDouble() + 0.5)),
                List.of(Nd4j.randn(DataType.DOUBLE, N1, R).muli(random.nextDouble() + 0.5)),
                Nd4j.randn(DataType.DOUBLE, 3, N1), Nd4j.randn(DataType.DOUBLE, 1, 3));
    }

    /** W0 + s B A of the first (only) adapted layer: what the model computes with. */
    private static INDArray effective(FederatedRounds rounds) {
        LoraLayer layer = rounds.model().layers().get(0);
        return layer.frozen().add(rounds.global().b().get(0).mmul(rounds.global().a().get(0)).mul(layer.scale()));
    }

    private static FederatedRounds edge(AggregationMode mode, INDArray w0, Adapter adapter) {
        return new FederatedRounds(model(w0), adapter, mode, MaskMode.EXACT, TRAINING);
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amax().getDouble(0) / Math.max(1, b.amax().getDouble(0));
    }

    /**
     * Under exact aggregation each cell has its own W0: the merge's effective weight is the data-weighted mean of
     * the cells' W0 + s B A, and its head the weighted mean of theirs, computed directly.
     */
    @Test
    void exactMergeIsTheWeightedMeanOfTheCellsEffectiveWeights() {
        Random random = new Random(3);
        List<FederatedRounds> cells = new ArrayList<>();
        double[] weights = {3, 1, 0};
        for (int c = 0; c < 3; c++) {
            FederatedRounds cell = edge(AggregationMode.EXACT, Nd4j.rand(DataType.DOUBLE, N1, N2), randomAdapter(random));
            // Two full updates fold a residual into this cell's W0, as a cell's own exact aggregation does.
            LoraMask all = LoraMask.full(N1, N2);
            cell.apply(List.of(new Aggregator.Update(randomAdapter(random), List.of(all), 1),
                    new Aggregator.Update(randomAdapter(random), List.of(all), 2)));
            assertThat(cell.folded()).isTrue();
            cells.add(cell);
        }
        INDArray expected = effective(cells.get(0)).mul(3).add(effective(cells.get(1))).div(4);
        INDArray head = cells.get(0).global().headWeights().mul(3).add(cells.get(1).global().headWeights()).div(4);
        FederatedRounds cloud = edge(AggregationMode.EXACT, Nd4j.rand(DataType.DOUBLE, N1, N2), randomAdapter(random));
        cloud.merge(cells, weights);
        assertThat(maxDifference(effective(cloud), expected)).isLessThan(1e-12);
        assertThat(maxDifference(cloud.global().headWeights(), head)).isLessThan(1e-12);
        // The factors themselves are the weighted means (FedEx-LoRA keeps mean A and mean B).
        INDArray meanA = cells.get(0).global().a().get(0).mul(3).add(cells.get(1).global().a().get(0)).div(4);
        assertThat(maxDifference(cloud.global().a().get(0), meanA)).isLessThan(1e-12);
    }

    /** Under masked-mean the cells' models keep every entry: the merge is the weighted mean of each factor, W0 untouched. */
    @Test
    void maskedMeanMergeIsTheWeightedMeanOfTheFactors() {
        Random random = new Random(5);
        INDArray w0 = Nd4j.rand(DataType.DOUBLE, N1, N2);
        List<FederatedRounds> cells = List.of(edge(AggregationMode.MASKED_MEAN, w0, randomAdapter(random)),
                edge(AggregationMode.MASKED_MEAN, w0, randomAdapter(random)));
        FederatedRounds cloud = edge(AggregationMode.MASKED_MEAN, w0, randomAdapter(random));
        cloud.merge(cells, new double[] {1, 4});
        INDArray b = cells.get(0).global().b().get(0).add(cells.get(1).global().b().get(0).mul(4)).div(5);
        INDArray bias = cells.get(0).global().headBias().add(cells.get(1).global().headBias().mul(4)).div(5);
        assertThat(maxDifference(cloud.global().b().get(0), b)).isLessThan(1e-12);
        assertThat(maxDifference(cloud.global().headBias(), bias)).isLessThan(1e-12);
        assertThat(cloud.folded()).isFalse();
        assertThat(cloud.model().layers().get(0).frozen()).isEqualTo(w0);
    }

    /** No cell aggregated anything since the last merge: the cloud's model stays as it was. */
    @Test
    void cellsOfWeightZeroLeaveTheCloudAsItWas() {
        Random random = new Random(9);
        INDArray w0 = Nd4j.rand(DataType.DOUBLE, N1, N2);
        FederatedRounds cloud = edge(AggregationMode.EXACT, w0, randomAdapter(random));
        Adapter before = cloud.global().copy();
        cloud.merge(List.of(edge(AggregationMode.EXACT, w0, randomAdapter(random))), new double[] {0});
        assertThat(cloud.global().a().get(0)).isEqualTo(before.a().get(0));
        assertThat(cloud.global().headWeights()).isEqualTo(before.headWeights());
    }

    /**
     * One round, three cells starting from the cloud's model, devices with random masks: the cells' own aggregation
     * then the data-weighted merge equals aggregating all updates at once (what the cloud does with cloud_every 1),
     * for the rules linear in the updates.
     */
    @Test
    void twoLevelsOfOneRoundEqualOneForTheLinearRules() {
        for (AggregationMode mode : List.of(AggregationMode.EXACT, AggregationMode.ZERO_FILL_MEAN)) {
            Random random = new Random(11);
            INDArray w0 = Nd4j.rand(DataType.DOUBLE, N1, N2);
            Adapter start = randomAdapter(random);
            FederatedRounds flat = edge(mode, w0, start);
            List<FederatedRounds> cells = new ArrayList<>();
            List<Aggregator.Update> all = new ArrayList<>();
            double[] weights = new double[3];
            for (int c = 0; c < 3; c++) {
                FederatedRounds cell = edge(mode, w0, start);
                List<Aggregator.Update> mine = new ArrayList<>();
                for (int k = 0; k < 2 + c; k++) {
                    double samples = 10 + random.nextInt(30);
                    LoraMask mask = LoraMask.draw(MaskMode.EXACT, N1, N2, 0.4, new java.util.SplittableRandom(random.nextLong()));
                    mine.add(new Aggregator.Update(randomAdapter(random), List.of(mask), samples));
                    weights[c] += samples;
                }
                cell.apply(mine);
                all.addAll(mine);
                cells.add(cell);
            }
            flat.apply(all);
            FederatedRounds cloud = edge(mode, w0, start);
            cloud.merge(cells, weights);
            assertThat(maxDifference(effective(cloud), effective(flat))).as(mode.toString()).isLessThan(1e-10);
            assertThat(maxDifference(cloud.global().headWeights(), flat.global().headWeights())).as(mode.toString())
                    .isLessThan(1e-10);
        }
    }
}
