package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each aggregation mode on one layer with W0 ∈ R^{2×3}, rank 1, scale 2, two devices of weights 1 and
 * 3: device 1 keeps columns {0, 1} of A and row 0 of B, device 2 keeps columns {1, 2} and both rows.
 */
class AggregatorTest {
    private static INDArray m(double[][] values) {
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }

    private final MlpClassifier model = new MlpClassifier(List.of(new LoraLayer(m(new double[][] {{1, 2, 3}, {4, 5, 6}}), 2)),
            2, DataType.DOUBLE);
    private final Adapter global = new Adapter(List.of(m(new double[][] {{9, 9, 9}})), List.of(m(new double[][] {{7}, {7}})),
            m(new double[][] {{0, 0}, {0, 0}}), m(new double[][] {{0, 0}}));
    private final Aggregator.Update first = new Aggregator.Update(new Adapter(List.of(m(new double[][] {{1, 2, 100}})),
            List.of(m(new double[][] {{3}, {100}})), m(new double[][] {{1, 0}, {0, 1}}), m(new double[][] {{1, 1}})),
            List.of(new LoraMask(new boolean[] {true, false}, new boolean[] {true, true, false})), 1);
    private final Aggregator.Update second = new Aggregator.Update(new Adapter(List.of(m(new double[][] {{100, 4, 5}})),
            List.of(m(new double[][] {{6}, {8}})), m(new double[][] {{5, 0}, {0, 5}}), m(new double[][] {{5, 5}})),
            List.of(new LoraMask(new boolean[] {true, true}, new boolean[] {false, true, true})), 3);

    @Test
    void maskedMeanAveragesEachEntryOverTheDevicesThatKeptIt() {
        Adapter result = Aggregator.aggregate(AggregationMode.MASKED_MEAN, model, global, List.of(first, second)).adapter();
        // A: column 0 only device 1 → 1; column 1 both → (1·2 + 3·4)/4 = 3.5; column 2 only device 2 → 5.
        assertThat(result.a().get(0).toDoubleVector()).containsExactly(1, 3.5, 5);
        // B: row 0 both → (1·3 + 3·6)/4 = 5.25; row 1 only device 2 → 8.
        assertThat(result.b().get(0).toDoubleVector()).containsExactly(5.25, 8);
        // The head is sent whole: (1·1 + 3·5)/4 = 4 on the diagonal.
        assertThat(result.headWeights().getDouble(0, 0)).isEqualTo(4);
        assertThat(result.headBias().toDoubleVector()).containsExactly(4, 4);
    }

    @Test
    void anEntryNobodyKeptKeepsItsGlobalValue() {
        Aggregator.Update only = new Aggregator.Update(first.adapter(), first.masks(), 1);
        Adapter result = Aggregator.aggregate(AggregationMode.MASKED_MEAN, model, global, List.of(only)).adapter();
        assertThat(result.a().get(0).toDoubleVector()).containsExactly(1, 2, 9);
        assertThat(result.b().get(0).toDoubleVector()).containsExactly(3, 7);
    }

    @Test
    void zeroFillMeanIsFedAvgOfTheZeroFilledSubAdapters() {
        Adapter result = Aggregator.aggregate(AggregationMode.ZERO_FILL_MEAN, model, global, List.of(first, second)).adapter();
        // A: (1·[1,2,0] + 3·[0,4,5]) / 4; B: (1·[3,0] + 3·[6,8]) / 4.
        assertThat(result.a().get(0).toDoubleVector()).containsExactly(0.25, 3.5, 3.75);
        assertThat(result.b().get(0).toDoubleVector()).containsExactly(5.25, 6);
    }

    @Test
    void exactReproducesTheMeanOfTheProducts() {
        Aggregator.Result result = Aggregator.aggregate(AggregationMode.EXACT, model, global, List.of(first, second));
        INDArray a = result.adapter().a().get(0);
        INDArray b = result.adapter().b().get(0);
        INDArray folded = b.mmul(a).muli(2).addi(result.frozenResiduals().get(0));
        // mean_k(s B̂_k Â_k) with s = 2, weights 1 and 3.
        INDArray expected = m(new double[][] {{3}, {0}}).mmul(m(new double[][] {{1, 2, 0}})).muli(2)
                .addi(m(new double[][] {{6}, {8}}).mmul(m(new double[][] {{0, 4, 5}})).muli(2 * 3)).divi(4);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(folded.getDouble(i, j)).isCloseTo(expected.getDouble(i, j), within(1e-12));
            }
        }
        assertThat(result.frozenResiduals().get(0).sumNumber().doubleValue()).isNotZero();
    }
}
