package org.fedlodrop.models.family.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.fedlodrop.models.GradientCheck;
import org.fedlodrop.models.TestSequences;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer's hand-written backward pass against central finite differences in double precision:
 * LoRA factors under masks (on every projection, and on the default query/value), the head, and for
 * pretraining every base weight and both embeddings. Sequences are padded, so the padding masks in
 * attention and pooling are exercised too.
 */
class TransformerGradientTest {
    private static final TransformerClassifier.Shape SHAPE = new TransformerClassifier.Shape(11, 5, 8, 2, 2, 12, 3);
    private static final int[] LABELS = {0, 2, 1, 1};

    private static INDArray tokens() {
        // Padding (id 0) at the end of some sequences; one sequence fills all positions.
        return Nd4j.createFromArray(new double[][] {
            {3, 4, 5, 0, 0}, {7, 1, 9, 10, 2}, {2, 2, 6, 8, 0}, {5, 0, 0, 0, 0}}).castTo(DataType.DOUBLE);
    }

    private static TransformerClassifier model(Set<Projection> adapted, SplittableRandom random) {
        TransformerClassifier.Weights weights = TransformerClassifier.Weights.random(SHAPE, DataType.DOUBLE, random);
        return new TransformerClassifier(SHAPE, weights, adapted, LoraLayer.scale(4, 2, false), DataType.DOUBLE);
    }

    private static Adapter randomAdapter(TransformerClassifier model, int rank, SplittableRandom random) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            a.add(Nd4j.randn(DataType.DOUBLE, rank, layer.columns()).muli(0.3));
            b.add(Nd4j.randn(DataType.DOUBLE, layer.rows(), rank).muli(0.3));
        }
        return new Adapter(a, b, Nd4j.randn(DataType.DOUBLE, SHAPE.classes(), SHAPE.width()).muli(0.5),
                Nd4j.randn(DataType.DOUBLE, 1, SHAPE.classes()).muli(0.1));
    }

    private void checkLora(Set<Projection> adapted, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Nd4j.getRandom().setSeed(seed);
        TransformerClassifier model = model(adapted, random);
        Adapter adapter = randomAdapter(model, 2, random);
        List<LoraMask> masks = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.4, random));
        }
        INDArray x = tokens();
        Adapter gradients = model.lossAndGradients(adapter, masks, x, LABELS).gradients();
        GradientCheck.Counts counts = GradientCheck.check(GradientCheck.adapterPairs(adapter, gradients),
                () -> model.loss(adapter, masks, x, LABELS));
        assertThat(counts.checked()).isGreaterThan(100);
        assertThat(counts.zero()).as("dropped factor entries").isGreaterThan(20);
        for (int u = 0; u < model.layers().size(); u++) {
            LoraMask mask = masks.get(u);
            for (int c = 0; c < mask.columns().length; c++) {
                if (!mask.columns()[c]) {
                    assertThat(gradients.a().get(u).getColumn(c).norm1Number().doubleValue()).isZero();
                }
            }
            for (int r = 0; r < mask.rows().length; r++) {
                if (!mask.rows()[r]) {
                    assertThat(gradients.b().get(u).getRow(r).norm1Number().doubleValue()).isZero();
                }
            }
        }
    }

    @Test
    void loraOnQueryAndValueMatchesFiniteDifferences() {
        checkLora(EnumSet.of(Projection.QUERY, Projection.VALUE), 5);
    }

    @Test
    void loraOnEveryProjectionMatchesFiniteDifferences() {
        checkLora(EnumSet.allOf(Projection.class), 6);
    }

    @Test
    void pretrainingGradientsOfEveryBaseWeightMatchFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(8);
        Nd4j.getRandom().setSeed(8);
        TransformerClassifier model = model(EnumSet.of(Projection.QUERY, Projection.VALUE), random);
        INDArray head = Nd4j.randn(DataType.DOUBLE, SHAPE.classes(), SHAPE.width()).muli(0.5);
        INDArray bias = Nd4j.randn(DataType.DOUBLE, 1, SHAPE.classes()).muli(0.1);
        INDArray x = tokens();
        TransformerClassifier.FullGradients gradients = model.fullGradients(head, bias, x, LABELS);
        List<INDArray[]> pairs = new ArrayList<>();
        List<INDArray> parameters = model.weights().arrays();
        List<INDArray> analytic = gradients.base().arrays();
        for (int i = 0; i < parameters.size(); i++) {
            pairs.add(new INDArray[] {parameters.get(i), analytic.get(i)});
        }
        pairs.add(new INDArray[] {head, gradients.headWeights()});
        pairs.add(new INDArray[] {bias, gradients.headBias()});
        GradientCheck.Counts counts = GradientCheck.check(pairs, () -> model.fullGradients(head, bias, x, LABELS).loss());
        assertThat(counts.checked()).isGreaterThan(800);
        // Rows of token ids that never occur, and the padding embedding, carry no gradient.
        assertThat(gradients.base().tokens().getRow(TransformerClassifier.PAD).norm1Number().doubleValue()).isZero();
    }
}
