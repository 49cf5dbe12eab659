package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batched evaluation gives the loss and accuracy of a sample-by-sample reference, and the
 * transformer's padding takes no part in a sample's logits (masked attention, mean pooling over
 * real tokens only).
 */
class EvaluationTest {
    private static final TransformerClassifier.Shape SHAPE = new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3);

    private static TransformerClassifier model(SplittableRandom random) {
        TransformerClassifier.Weights weights = TransformerClassifier.Weights.random(SHAPE, DataType.DOUBLE, random);
        return new TransformerClassifier(SHAPE, weights, EnumSet.of(Projection.QUERY, Projection.VALUE),
                LoraLayer.scale(4, 2, false), DataType.DOUBLE);
    }

    private static Adapter adapter(Classifier model, SplittableRandom random) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            a.add(gaussian(random, 2, layer.columns(), 0.3));
            b.add(gaussian(random, layer.rows(), 2, 0.3));
        }
        return new Adapter(a, b, gaussian(random, model.classes(), (int) model.layers().get(0).columns(), 0.5), gaussian(random, 1, model.classes(), 0.1));
    }

    private static INDArray gaussian(SplittableRandom random, int rows, int columns, double sd) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(rows, columns);
    }

    /** n padded sequences: a random number of real tokens (1 to 6), then padding. */
    private static INDArray sequences(SplittableRandom random, int n) {
        return sequences(random, n, SHAPE);
    }

    private static INDArray sequences(SplittableRandom random, int n, TransformerClassifier.Shape shape) {
        double[][] ids = new double[n][shape.maxLength()];
        for (int s = 0; s < n; s++) {
            int real = 1 + random.nextInt(shape.maxLength());
            for (int j = 0; j < real; j++) {
                ids[s][j] = 1 + random.nextInt(shape.vocabulary() - 1);
            }
        }
        return Nd4j.createFromArray(ids);
    }

    @Test
    void batchedEvaluationEqualsASampleBySampleReference() {
        SplittableRandom random = new SplittableRandom(5);
        TransformerClassifier model = model(random);
        Adapter adapter = adapter(model, random);
        assertThat(model.evaluationRows()).isEqualTo(Classifier.EVALUATION_BATCH);
        int n = model.evaluationRows() + 37;
        assertEvaluationMatchesReference(model, adapter, sequences(random, n, SHAPE), labels(random, n), n);
    }

    /** BERT evaluates in batches of about 1,024 tokens (a smaller scratch workspace), with the same numbers. */
    @Test
    void bertEvaluatesInBatchesOfItsOwnSizeWithTheReferencesNumbers() {
        TransformerClassifier.Shape shape = new TransformerClassifier.Shape(13, 64, 8, 1, 2, 12, 3);
        SplittableRandom random = new SplittableRandom(9);
        BertClassifier model = new BertClassifier(shape, BertClassifier.Weights.random(shape, DataType.DOUBLE, random),
                EnumSet.of(Projection.QUERY, Projection.VALUE), BertClassifier.Pooling.MEAN, LoraLayer.scale(4, 2, false),
                DataType.DOUBLE);
        assertThat(model.evaluationRows()).isEqualTo(16);
        Adapter adapter = adapter(model, random);
        int n = model.evaluationRows() * 2 + 5;
        assertEvaluationMatchesReference(model, adapter, sequences(random, n, shape), labels(random, n), n);
    }

    private static int[] labels(SplittableRandom random, int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(SHAPE.classes());
        }
        return labels;
    }

    private static void assertEvaluationMatchesReference(Classifier model, Adapter adapter, INDArray x, int[] labels, int n) {
        List<LoraMask> full = model.fullMasks();
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] logits = model.logits(adapter, full, x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()))
                    .toDoubleVector();
            double max = Double.NEGATIVE_INFINITY;
            int best = 0;
            for (int c = 0; c < logits.length; c++) {
                if (logits[c] > max) {
                    max = logits[c];
                    best = c;
                }
            }
            double sum = 0;
            for (double logit : logits) {
                sum += Math.exp(logit - max);
            }
            loss -= logits[labels[i]] - max - Math.log(sum);
            correct += best == labels[i] ? 1 : 0;
        }
        Classifier.Evaluation evaluation = model.evaluate(adapter, full, x, labels);
        assertThat(evaluation.loss()).isCloseTo(loss / n, within(1e-12));
        assertThat(evaluation.accuracy()).isEqualTo(correct / (double) n);
        assertThat(correct).as("a non-trivial reference").isBetween(n / 10, n - n / 10);
    }

    @Test
    void paddingTakesNoPartInASamplesLogits() {
        SplittableRandom random = new SplittableRandom(6);
        TransformerClassifier model = model(random);
        Adapter adapter = adapter(model, random);
        INDArray x = sequences(random, 20);
        INDArray before = model.logits(adapter, model.fullMasks(), x);
        // Change what a padding position would contribute if it were attended to or pooled: its embedding row.
        model.weights().tokens().getRow(TransformerClassifier.PAD).addi(gaussian(random, 1, SHAPE.width(), 3).reshape(SHAPE.width()));
        INDArray after = model.logits(adapter, model.fullMasks(), x);
        assertThat(after.ravel().toDoubleVector()).containsExactly(before.ravel().toDoubleVector(), within(1e-12));
        // The same change to a real token's row does move the logits: the check can fail.
        model.weights().tokens().getRow(1).addi(gaussian(random, 1, SHAPE.width(), 3).reshape(SHAPE.width()));
        assertThat(model.logits(adapter, model.fullMasks(), x).sub(before).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }
}
