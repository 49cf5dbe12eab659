package org.fedlodrop.models.family.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.GradientCheck;
import org.fedlodrop.models.TestSequences;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bert family's backward pass against central finite differences in double precision on a small
 * random instance (affine norms, biases, GELU, padding), for the LoRA factors under exact masks and
 * for the head, with mean and [CLS] pooling.
 */
class BertGradientTest {
    private static final TransformerClassifier.Shape SHAPE = new TransformerClassifier.Shape(13, 5, 8, 2, 2, 12, 3);
    private static final int[] LABELS = {0, 2, 1, 1};

    private static INDArray tokens() {
        // [CLS]-like first tokens, padding (id 0) at the end of some sequences, one full sequence.
        return Nd4j.createFromArray(new double[][] {
            {1, 4, 5, 2, 0}, {1, 7, 9, 10, 2}, {1, 6, 8, 2, 0}, {1, 2, 0, 0, 0}}).castTo(DataType.DOUBLE);
    }

    private static Adapter randomAdapter(BertClassifier model, SplittableRandom random) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            a.add(gaussian(random, 2, layer.columns(), 0.3));
            b.add(gaussian(random, layer.rows(), 2, 0.3));
        }
        return new Adapter(a, b, gaussian(random, SHAPE.classes(), SHAPE.width(), 0.5),
                gaussian(random, 1, SHAPE.classes(), 0.1));
    }

    private static INDArray gaussian(SplittableRandom random, int rows, int columns, double sd) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(rows, columns);
    }

    private static void check(EnumSet<Projection> adapted, BertClassifier.Pooling pooling, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BertClassifier model = new BertClassifier(SHAPE, BertClassifier.Weights.random(SHAPE, DataType.DOUBLE, random),
                adapted, pooling, LoraLayer.scale(4, 2, false), DataType.DOUBLE);
        Adapter adapter = randomAdapter(model, random);
        List<LoraMask> masks = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.4, random));
        }
        INDArray x = tokens();
        Adapter gradients = model.lossAndGradients(adapter, masks, x, LABELS).gradients();
        GradientCheck.Counts counts = GradientCheck.check(GradientCheck.adapterPairs(adapter, gradients),
                () -> model.loss(adapter, masks, x, LABELS));
        assertThat(counts.checked()).as(adapted + " " + pooling).isGreaterThan(100);
        assertThat(counts.zero()).as("dropped factor entries").isGreaterThan(20);
    }

    @Test
    void headOnlyGradientsEqualTheFullBackwardsHeadGradients() {
        for (BertClassifier.Pooling pooling : BertClassifier.Pooling.values()) {
            SplittableRandom random = new SplittableRandom(3);
            BertClassifier model = new BertClassifier(SHAPE, BertClassifier.Weights.random(SHAPE, DataType.DOUBLE, random),
                    EnumSet.of(Projection.QUERY, Projection.VALUE), pooling, LoraLayer.scale(4, 2, false), DataType.DOUBLE);
            Adapter adapter = randomAdapter(model, random);
            List<LoraMask> masks = model.layers().stream()
                    .map(layer -> LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.4, random)).toList();
            var full = model.lossAndGradients(adapter, masks, tokens(), LABELS);
            var head = model.headLossAndGradients(adapter, masks, tokens(), LABELS);
            assertThat(head.loss()).isEqualTo(full.loss());
            assertThat(head.gradients().headWeights()).as(pooling.name()).isEqualTo(full.gradients().headWeights());
            assertThat(head.gradients().headBias()).isEqualTo(full.gradients().headBias());
            assertThat(full.gradients().a().get(0).norm2Number().doubleValue()).isGreaterThan(0);
            assertThat(head.gradients().a().get(0).norm2Number().doubleValue()).isZero();
        }
    }

    @Test
    void loraOnQueryAndValueWithMeanPooling() {
        check(EnumSet.of(Projection.QUERY, Projection.VALUE), BertClassifier.Pooling.MEAN, 1);
    }

    @Test
    void loraOnEveryProjectionWithClsPooling() {
        check(EnumSet.allOf(Projection.class), BertClassifier.Pooling.CLS, 2);
    }
}
