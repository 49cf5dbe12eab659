package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.train.LearningRateSchedule;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java engine against ND4J in float64 as the reference: the same model, data, masks, batches and
 * optimizer must give the same trained adapter up to float32 rounding, for both families it trains.
 */
class DenseTrainingTest {
    /** A model, its starting adapter, data and masks in one precision: float32 is the float64 setup rounded. */
    private record Setup(Classifier model, Adapter start, Dataset data, List<LoraMask> masks) {
        static Setup of(String family, DataType dataType) {
            Setup reference = switch (family) {
                case "mlp" -> mlp();
                case "transformer" -> transformer(new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3));
                // One 32-wide head over 32 tokens: attention's products go to OpenBLAS, not loops.
                case "wide-head transformer" -> transformer(new TransformerClassifier.Shape(13, 32, 32, 2, 1, 12, 3));
                case "bert" -> bert(new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3), BertClassifier.Pooling.MEAN);
                // Texts of at most 3 of the 6 positions: every step runs on its longest text (dynamic
                // padding), while ND4J pads to the maximum length.
                case "bert, short texts" -> bert(new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3),
                        BertClassifier.Pooling.MEAN, 3);
                case "bert, cls pooling" -> bert(new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3),
                        BertClassifier.Pooling.CLS);
                // One 32-wide head over 32 tokens: attention's products go to OpenBLAS.
                case "wide-head bert" -> bert(new TransformerClassifier.Shape(13, 32, 32, 2, 1, 12, 3),
                        BertClassifier.Pooling.MEAN);
                default -> throw new IllegalArgumentException(family);
            };
            return dataType == DataType.DOUBLE ? reference : reference.inFloat32();
        }

        /** A teacher-student MLP, 37 samples. */
        static Setup mlp() {
            TeacherStudent workload = new TeacherStudent(new int[] {12, 20, 16}, 3, 2, 3.0, 0.1);
            SplittableRandom random = new SplittableRandom(11);
            TeacherStudent.Task task = workload.build(4, 8, false, DataType.DOUBLE, random);
            Dataset data = workload.sample(task, 37, DataType.DOUBLE, random);
            return withMasksAndNonZeroB(task.student().withLoraScaled(1.5), task.initial(), data, random);
        }

        /** A 2-block transformer with LoRA on all six projections; 29 padded sequences of varying length. */
        static Setup transformer(TransformerClassifier.Shape shape) {
            SplittableRandom random = new SplittableRandom(12);
            TransformerClassifier model = new TransformerClassifier(shape,
                    TransformerClassifier.Weights.random(shape, DataType.DOUBLE, random),
                    EnumSet.allOf(TransformerClassifier.Projection.class), 1.5, DataType.DOUBLE);
            Dataset data = TestSequences.padded(shape, 29, random);
            Adapter initial = model.initialAdapter(4, random);
            // A zero head would leave every LoRA gradient zero on the first step; start from a random one.
            Adapter start = new Adapter(initial.a(), initial.b(), TestSequences.gaussian(initial.headWeights(), 0.5, random),
                    TestSequences.gaussian(initial.headBias(), 0.5, random));
            return withMasksAndNonZeroB(model, start, data, random);
        }

        /** A 2-block BERT encoder with random weights (biases and norms too), LoRA on all six projections. */
        static Setup bert(TransformerClassifier.Shape shape, BertClassifier.Pooling pooling) {
            return bert(shape, pooling, shape.maxLength());
        }

        static Setup bert(TransformerClassifier.Shape shape, BertClassifier.Pooling pooling, int longest) {
            SplittableRandom random = new SplittableRandom(13);
            BertClassifier model = new BertClassifier(shape, BertClassifier.Weights.random(shape, DataType.DOUBLE, random),
                    EnumSet.allOf(TransformerClassifier.Projection.class), pooling, 1.5, DataType.DOUBLE);
            Dataset data = TestSequences.padded(shape, 29, random, longest);
            Adapter initial = model.initialAdapter(4, random);
            Adapter start = new Adapter(initial.a(), initial.b(), TestSequences.gaussian(initial.headWeights(), 0.5, random),
                    TestSequences.gaussian(initial.headBias(), 0.5, random));
            return withMasksAndNonZeroB(model, start, data, random);
        }

        /** γ = 0.4 masks; B = 0 at LoRA's start would make A's first gradients zero, so B starts random. */
        private static Setup withMasksAndNonZeroB(Classifier model, Adapter start, Dataset data, SplittableRandom random) {
            List<LoraMask> masks = new ArrayList<>();
            for (LoraLayer layer : model.layers()) {
                masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.4, random));
            }
            List<INDArray> b = new ArrayList<>();
            for (INDArray factor : start.b()) {
                b.add(TestSequences.gaussian(factor, 0.2, random));
            }
            return new Setup(model, new Adapter(start.a(), b, start.headWeights(), start.headBias()), data, masks);
        }

        Setup inFloat32() {
            Classifier floatModel;
            if (model instanceof MlpClassifier mlp) {
                floatModel = new MlpClassifier(mlp.layers().stream()
                        .map(l -> new LoraLayer(l.frozen().castTo(DataType.FLOAT), l.scale())).toList(),
                        mlp.classes(), DataType.FLOAT);
            } else if (model instanceof BertClassifier bert) {
                BertClassifier.Weights w = bert.weights();
                java.util.function.UnaryOperator<INDArray> f = a -> a.castTo(DataType.FLOAT);
                java.util.function.UnaryOperator<BertClassifier.NormWeights> norm =
                        n -> new BertClassifier.NormWeights(f.apply(n.gamma()), f.apply(n.beta()));
                floatModel = new BertClassifier(bert.shape(), new BertClassifier.Weights(f.apply(w.words()),
                        f.apply(w.positions()), f.apply(w.tokenType()), norm.apply(w.embeddingNorm()),
                        w.blocks().stream().map(b -> new BertClassifier.BlockWeights(
                                b.projections().stream().map(f).toList(), b.biases().stream().map(f).toList(),
                                norm.apply(b.attentionNorm()), norm.apply(b.outputNorm()))).toList()),
                        bert.adapted(), bert.pooling(), bert.layers().get(0).scale(), DataType.FLOAT);
            } else {
                TransformerClassifier t = (TransformerClassifier) model;
                TransformerClassifier.Weights w = t.weights();
                floatModel = new TransformerClassifier(t.shape(), new TransformerClassifier.Weights(
                        w.tokens().castTo(DataType.FLOAT), w.positions().castTo(DataType.FLOAT),
                        w.blocks().stream().map(block -> block.stream().map(a -> a.castTo(DataType.FLOAT)).toList()).toList()),
                        t.adapted(), t.layers().get(0).scale(), DataType.FLOAT);
            }
            Adapter floatStart = new Adapter(start.a().stream().map(a -> a.castTo(DataType.FLOAT)).toList(),
                    start.b().stream().map(a -> a.castTo(DataType.FLOAT)).toList(),
                    start.headWeights().castTo(DataType.FLOAT), start.headBias().castTo(DataType.FLOAT));
            return new Setup(floatModel, floatStart, new Dataset(data.features().castTo(DataType.FLOAT), data.labels()),
                    masks);
        }

        LocalTrainer.Outcome train(LocalTrainer.Settings settings) {
            return train(settings, LocalTrainer.Progress.ALONE);
        }

        LocalTrainer.Outcome train(LocalTrainer.Settings settings, LocalTrainer.Progress progress) {
            return LocalTrainer.train(model, start, masks, data, settings, new SplittableRandom(7), progress);
        }
    }

    @ParameterizedTest(name = "{0}, {1}, train LoRA {2}")
    @CsvSource({"mlp, ADAMW, true", "mlp, SGD, true", "mlp, ADAMW, false",
            "transformer, ADAMW, true", "transformer, SGD, true", "transformer, ADAMW, false",
            "wide-head transformer, ADAMW, true", "wide-head transformer, SGD, true",
            "bert, ADAMW, true", "bert, SGD, true", "bert, ADAMW, false", "'bert, cls pooling', ADAMW, true",
            "'bert, short texts', ADAMW, true", "'bert, short texts', SGD, true",
            "wide-head bert, ADAMW, true"})
    void trainsAsNd4jInFloat64UpToFloat32Rounding(String family, LocalTrainer.Optimizer optimizer, boolean trainLora) {
        // Batches of 8 leave a short last batch; weight decay on; LoRA scale not 1.
        LocalTrainer.Settings settings = new LocalTrainer.Settings(3, 8, optimizer == LocalTrainer.Optimizer.SGD ? 0.2 : 1e-2,
                optimizer, 0.05, trainLora);
        assertEnginesAgree(family, trainLora, settings, LocalTrainer.Progress.ALONE);
    }

    /**
     * The fine-tuning recipe on both engines: a cosine schedule with warm-up in the second of three rounds,
     * clipping at 0.5, and a head learning rate of its own.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"mlp, ADAMW", "mlp, SGD", "bert, ADAMW", "bert, SGD", "transformer, ADAMW"})
    void theRecipeTrainsAsNd4jInFloat64UpToFloat32Rounding(String family, LocalTrainer.Optimizer optimizer) {
        boolean sgd = optimizer == LocalTrainer.Optimizer.SGD;
        LocalTrainer.Settings settings = new LocalTrainer.Settings(2, 8, sgd ? 0.2 : 1e-2, optimizer, 0.05, true)
                .withRecipe(new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.2), 0.5, sgd ? 0.5 : 3e-2);
        assertEnginesAgree(family, true, settings, new LocalTrainer.Progress(1, 3));
    }

    /** Texts of similar length batched together: both engines draw the same regrouped batches. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"bert", "'bert, short texts'", "transformer"})
    void lengthBucketsTrainAsNd4jInFloat64UpToFloat32Rounding(String family) {
        LocalTrainer.Settings settings = new LocalTrainer.Settings(2, 4, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.05, true)
                .withLengthBuckets(true);
        assertEnginesAgree(family, true, settings, LocalTrainer.Progress.ALONE);
    }

    private static void assertEnginesAgree(String family, boolean trainLora, LocalTrainer.Settings settings,
                                           LocalTrainer.Progress progress) {
        Setup reference = Setup.of(family, DataType.DOUBLE);
        Setup dense = Setup.of(family, DataType.FLOAT);
        LocalTrainer.Outcome expected = reference.train(settings.withEngine(TrainingEngine.ND4J), progress);
        LocalTrainer.Outcome actual = dense.train(settings.withEngine(TrainingEngine.JAVA), progress);

        assertThat(actual.lastEpochLoss()).isCloseTo(expected.lastEpochLoss(),
                org.assertj.core.data.Offset.offset(1e-5 * Math.abs(expected.lastEpochLoss())));
        List<INDArray> startArrays = reference.start().arrays();
        List<INDArray> expectedArrays = expected.adapter().arrays();
        List<INDArray> actualArrays = actual.adapter().arrays();
        for (int i = 0; i < startArrays.size(); i++) {
            INDArray expectedUpdate = expectedArrays.get(i).sub(startArrays.get(i));
            INDArray actualUpdate = actualArrays.get(i).castTo(DataType.DOUBLE).sub(startArrays.get(i));
            double size = expectedUpdate.amaxNumber().doubleValue();
            double error = actualUpdate.sub(expectedUpdate).amaxNumber().doubleValue();
            if (!trainLora && i < startArrays.size() - 2) {
                assertThat(size).as("array %d is frozen without LoRA training", i).isZero();
                assertThat(actualArrays.get(i)).as("array %d", i).isEqualTo(dense.start().arrays().get(i));
            } else {
                assertThat(size).as("array %d moved", i).isGreaterThan(1e-4);
                // Float32 rounding of the values themselves (half an ulp of the largest, before and after) also shows
                // in an update much smaller than them.
                double rounding = 2 * expectedArrays.get(i).amaxNumber().doubleValue() * Math.ulp(1f);
                assertThat(error).as("update of array %d against its size %s", i, size).isLessThan(2e-5 * size + rounding);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mlp", "transformer", "wide-head transformer", "bert"})
    void droppedEntriesLeaveTrainingExactlyAsTheyCameAndTheSameSeedGivesTheSameBits(String family) {
        Setup dense = Setup.of(family, DataType.FLOAT);
        LocalTrainer.Settings settings = new LocalTrainer.Settings(4, 8, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.1)
                .withEngine(TrainingEngine.JAVA);
        LocalTrainer.Outcome first = dense.train(settings);
        LocalTrainer.Outcome second = dense.train(settings);
        assertThat(second.lastEpochLoss()).isEqualTo(first.lastEpochLoss());
        assertThat(second.adapter().arrays()).isEqualTo(first.adapter().arrays());
        for (int u = 0; u < dense.masks().size(); u++) {
            LoraMask mask = dense.masks().get(u);
            INDArray a = first.adapter().a().get(u);
            INDArray b = first.adapter().b().get(u);
            for (int c = 0; c < mask.columns().length; c++) {
                INDArray before = dense.start().a().get(u).getColumn(c);
                if (mask.columns()[c]) {
                    assertThat(a.getColumn(c)).as("layer %d kept column %d", u, c).isNotEqualTo(before);
                } else {
                    assertThat(a.getColumn(c)).as("layer %d dropped column %d", u, c).isEqualTo(before);
                }
            }
            for (int r = 0; r < mask.rows().length; r++) {
                INDArray before = dense.start().b().get(u).getRow(r);
                if (mask.rows()[r]) {
                    assertThat(b.getRow(r)).as("layer %d kept row %d", u, r).isNotEqualTo(before);
                } else {
                    assertThat(b.getRow(r)).as("layer %d dropped row %d", u, r).isEqualTo(before);
                }
            }
        }
        assertThat(first.adapter().a().get(0).dataType()).isEqualTo(DataType.FLOAT);
    }

    /** Evaluation in batches of the family's evaluation rows (the test set is longer than one for the mlp). */
    @ParameterizedTest
    @CsvSource({"mlp", "transformer", "wide-head transformer", "bert", "'bert, cls pooling'", "'bert, short texts'"})
    void evaluatesAsNd4jInFloat64UpToFloat32Rounding(String family) {
        Setup reference = Setup.of(family, DataType.DOUBLE);
        Setup dense = Setup.of(family, DataType.FLOAT);
        // A trained adapter, so that predictions are not all one class.
        LocalTrainer.Settings settings = new LocalTrainer.Settings(3, 8, 1e-2, LocalTrainer.Optimizer.ADAMW, 0);
        Adapter trained = reference.train(settings.withEngine(TrainingEngine.ND4J)).adapter();
        Adapter trainedInFloat32 = new Setup(reference.model(), trained, reference.data(), reference.masks()).inFloat32().start();
        Dataset data = reference.data();
        Dataset dataInFloat32 = dense.data();
        if (family.equals("mlp")) {
            // 37 samples repeated past one evaluation batch of 256 rows.
            int[] rows = java.util.stream.IntStream.range(0, 300).map(i -> i % 37).toArray();
            data = data.select(rows);
            dataInFloat32 = dataInFloat32.select(rows);
        }
        Classifier.Evaluation expected = LocalTrainer.evaluate(reference.model(), trained, data, TrainingEngine.ND4J);
        Classifier.Evaluation actual = LocalTrainer.evaluate(dense.model(), trainedInFloat32, dataInFloat32,
                TrainingEngine.JAVA);
        assertThat(actual.loss()).isCloseTo(expected.loss(), org.assertj.core.data.Offset.offset(1e-5 * expected.loss()));
        assertThat(actual.accuracy()).isEqualTo(expected.accuracy());
        assertThat(expected.accuracy()).isStrictlyBetween(0.0, 1.0);
    }

    @Test
    void autoPicksJavaForEveryFloat32ModelAndNd4jOtherwise() {
        Classifier narrowMlp = Setup.of("mlp", DataType.FLOAT).model();
        Classifier narrowTransformer = Setup.of("transformer", DataType.FLOAT).model();
        Classifier inFloat64 = Setup.of("mlp", DataType.DOUBLE).model();
        MlpClassifier wideMlp = new MlpClassifier(List.of(new LoraLayer(Nd4j.zeros(DataType.FLOAT, 4096, 8), 1)), 2,
                DataType.FLOAT);
        assertThat(TrainingEngine.AUTO.resolve(narrowMlp)).isEqualTo(TrainingEngine.JAVA);
        assertThat(TrainingEngine.AUTO.resolve(narrowTransformer)).isEqualTo(TrainingEngine.JAVA);
        assertThat(TrainingEngine.AUTO.resolve(wideMlp)).isEqualTo(TrainingEngine.JAVA);
        assertThat(TrainingEngine.AUTO.resolve(inFloat64)).isEqualTo(TrainingEngine.ND4J);
        assertThat(TrainingEngine.AUTO.resolve(Setup.of("bert", DataType.FLOAT).model())).isEqualTo(TrainingEngine.JAVA);
        assertThat(TrainingEngine.ND4J.resolve(narrowMlp)).isEqualTo(TrainingEngine.ND4J);
        assertThatThrownBy(() -> TrainingEngine.JAVA.resolve(inFloat64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32 models only");
    }
}
