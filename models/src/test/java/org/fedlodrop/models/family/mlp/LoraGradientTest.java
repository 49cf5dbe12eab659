package org.fedlodrop.models.family.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.GradientCheck;
import org.fedlodrop.models.TestSequences;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Gradients of A, B and the head under masks against central finite differences, in double precision. */
class LoraGradientTest {
    private static INDArray random(SplittableRandom random, int rows, int columns, double scale) {
        double[][] values = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                values[i][j] = scale * random.nextGaussian();
            }
        }
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }

    @Test
    void maskedGradientsMatchFiniteDifferencesAndDroppedEntriesGetNone() {
        SplittableRandom random = new SplittableRandom(3);
        int[] widths = {6, 5, 4};
        int rank = 2;
        List<LoraLayer> layers = new ArrayList<>();
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        List<LoraMask> masks = new ArrayList<>();
        for (int u = 0; u < 2; u++) {
            layers.add(new LoraLayer(random(random, widths[u + 1], widths[u], 0.5), LoraLayer.scale(8, rank, false)));
            a.add(random(random, rank, widths[u], 0.3));
            b.add(random(random, widths[u + 1], rank, 0.3));
            masks.add(LoraMask.draw(MaskMode.EXACT, widths[u + 1], widths[u], 0.4, random));
        }
        MlpClassifier model = new MlpClassifier(layers, 3, DataType.DOUBLE);
        Adapter adapter = new Adapter(a, b, random(random, 3, widths[2], 0.5), random(random, 1, 3, 0.1));
        INDArray x = random(random, 7, widths[0], 1.0);
        int[] labels = {0, 2, 1, 1, 0, 2, 2};

        Adapter gradients = model.lossAndGradients(adapter, masks, x, labels).gradients();
        GradientCheck.Counts counts = GradientCheck.check(GradientCheck.adapterPairs(adapter, gradients),
                () -> model.loss(adapter, masks, x, labels));
        assertThat(counts.checked()).isGreaterThan(40);
        // 40 % of rows and columns dropped: many factor entries carry no gradient.
        assertThat(counts.zero()).isGreaterThan(10);
        for (int u = 0; u < 2; u++) {
            LoraMask mask = masks.get(u);
            for (int c = 0; c < mask.columns().length; c++) {
                if (!mask.columns()[c]) {
                    assertThat(java.util.Arrays.stream(gradients.a().get(u).getColumn(c).toDoubleVector()).filter(v -> v != 0))
                            .as("non-zero entries of dA column " + c).isEmpty();
                }
            }
            for (int r = 0; r < mask.rows().length; r++) {
                if (!mask.rows()[r]) {
                    assertThat(java.util.Arrays.stream(gradients.b().get(u).getRow(r).toDoubleVector()).filter(v -> v != 0))
                            .as("non-zero entries of dB row " + r).isEmpty();
                }
            }
        }
    }

    @Test
    void exactMasksDropFloorOfGammaTimesNAndBernoulliAboutGammaN() {
        SplittableRandom random = new SplittableRandom(9);
        LoraMask exact = LoraMask.draw(MaskMode.EXACT, 768, 640, 0.3, random);
        assertThat(exact.keptRows()).isEqualTo(768 - 230);
        assertThat(exact.keptColumns()).isEqualTo(640 - 192);
        int kept = 0;
        for (int i = 0; i < 200; i++) {
            kept += LoraMask.draw(MaskMode.BERNOULLI, 100, 100, 0.3, random).keptRows();
        }
        assertThat(kept / 200.0).isBetween(68.0, 72.0);
    }
}
