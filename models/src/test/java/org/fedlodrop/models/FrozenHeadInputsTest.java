package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.DenseTraining;
import org.fedlodrop.models.train.FrozenHeadInputs;
import org.fedlodrop.models.train.LearningRateSchedule;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memo of the head's inputs against the whole forward pass it replaces: a head trained on the memo's rows
 * ends where one trained through the encoder does, to float32 rounding; an evaluation reads exactly the numbers
 * it would have computed; each dataset is computed once; and the memo answers only for the model it was made
 * for with B = 0.
 */
class FrozenHeadInputsTest {
    /** Only the head trains, clipped, at its own rate; texts of similar length batched together. */
    private static final LocalTrainer.Settings HEAD_ONLY = new LocalTrainer.Settings(3, 8, 1e-2,
            LocalTrainer.Optimizer.ADAMW, 0.01, false, TrainingEngine.JAVA, LearningRateSchedule.CONSTANT, 1.0, 2e-2,
            true);

    /** A float32 model, a starting adapter with B = 0 and a random head, 29 samples, γ = 0.4 masks. */
    private record Setup(Classifier model, Adapter start, Dataset data, List<LoraMask> masks) {
        static Setup of(String family) {
            SplittableRandom random = new SplittableRandom(21);
            Classifier model;
            Dataset data;
            Adapter initial;
            if (family.equals("mlp")) {
                TeacherStudent workload = new TeacherStudent(new int[] {12, 20, 16}, 3, 2, 3.0, 0.1);
                TeacherStudent.Task task = workload.build(4, 8, false, DataType.FLOAT, random);
                model = task.student();
                data = workload.sample(task, 29, DataType.FLOAT, random);
                initial = task.initial();
            } else {
                // Texts of at most 3 of 6 positions: a training batch pads to its own longest text, the memo's
                // evaluation batch to another, so their float32 products may differ in rounding.
                TransformerClassifier.Shape shape = new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3);
                BertClassifier bert = new BertClassifier(shape, BertClassifier.Weights.random(shape, DataType.FLOAT, random),
                        EnumSet.allOf(TransformerClassifier.Projection.class), BertClassifier.Pooling.MEAN, 1.5,
                        DataType.FLOAT);
                model = bert;
                data = TestSequences.padded(shape, 29, random, 3);
                initial = bert.initialAdapter(4, random);
            }
            List<LoraMask> masks = new ArrayList<>();
            for (LoraLayer layer : model.layers()) {
                masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.4, random));
            }
            Adapter start = new Adapter(initial.a(), initial.b(), TestSequences.gaussian(initial.headWeights(), 0.5, random),
                    TestSequences.gaussian(initial.headBias(), 0.5, random));
            return new Setup(model, start, data, masks);
        }

        /** HEAD_ONLY, without length buckets for a model of no token rows. */
        LocalTrainer.Settings settings() {
            return model instanceof BertClassifier ? HEAD_ONLY : new LocalTrainer.Settings(3, 8, 1e-2,
                    LocalTrainer.Optimizer.ADAMW, 0.01, false, TrainingEngine.JAVA, LearningRateSchedule.CONSTANT, 1.0,
                    2e-2, false);
        }

        LocalTrainer.Outcome train(FrozenHeadInputs frozen) {
            return LocalTrainer.train(model, new LocalTrainer.Job(start, masks, data, settings(), new SplittableRandom(7))
                    .with(frozen));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert", "mlp"})
    void aHeadTrainedOnTheMemoEndsWhereOneTrainedThroughTheEncoderDoes(String family) {
        Setup setup = Setup.of(family);
        FrozenHeadInputs frozen = FrozenHeadInputs.of(setup.model(), setup.settings());
        assertThat(frozen.active()).isTrue();
        LocalTrainer.Outcome through = setup.train(FrozenHeadInputs.NONE);
        LocalTrainer.Outcome memo = setup.train(frozen);
        assertThat(memo.lastEpochLoss()).isCloseTo(through.lastEpochLoss(), within(1e-5 * through.lastEpochLoss()));
        float[] expected = DenseTraining.floats(through.adapter().headWeights());
        float[] actual = DenseTraining.floats(memo.adapter().headWeights());
        float[] start = DenseTraining.floats(setup.start().headWeights());
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("head weight %d", e).isCloseTo(expected[e], within(1e-5f));
        }
        assertThat(actual).as("the head trained").isNotEqualTo(start);
        assertThat(DenseTraining.floats(memo.adapter().headBias()))
                .containsExactly(DenseTraining.floats(through.adapter().headBias()), within(1e-5f));
        // The LoRA factors, which do not train, come back as they went in.
        for (int u = 0; u < setup.start().layers(); u++) {
            assertThat(DenseTraining.floats(memo.adapter().a().get(u))).containsExactly(DenseTraining.floats(setup.start().a().get(u)));
            assertThat(DenseTraining.floats(memo.adapter().b().get(u))).containsExactly(DenseTraining.floats(setup.start().b().get(u)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert", "mlp"})
    void anEvaluationReadsExactlyWhatItWouldHaveComputed(String family) {
        Setup setup = Setup.of(family);
        FrozenHeadInputs frozen = FrozenHeadInputs.of(setup.model(), setup.settings());
        Adapter trained = setup.train(frozen).adapter();
        Classifier.Evaluation through = LocalTrainer.evaluate(setup.model(), trained, setup.data(), TrainingEngine.JAVA);
        Classifier.Evaluation memo = LocalTrainer.evaluate(setup.model(), trained, setup.data(), TrainingEngine.JAVA, frozen);
        assertThat(memo.loss()).isEqualTo(through.loss());
        assertThat(memo.accuracy()).isEqualTo(through.accuracy());
    }

    @Test
    void eachDatasetIsComputedOnceEvenForAFoldOfZeroResiduals() {
        Setup setup = Setup.of("bert");
        FrozenHeadInputs frozen = FrozenHeadInputs.of(setup.model(), HEAD_ONLY);
        float[] first = frozen.rows(setup.model(), setup.start(), setup.data());
        assertThat(first).hasSize(setup.data().size() * 8);
        assertThat(frozen.rows(setup.model(), setup.start(), setup.data())).isSameAs(first);
        // exact aggregation of untrained factors adds zero residuals to W0: a new model of the same values.
        Classifier folded = setup.model().withAdaptedLayers(setup.model().layers().stream()
                .map(layer -> new LoraLayer(layer.frozen().add(layer.frozen().mul(0)), layer.scale())).toList());
        assertThat(folded).isNotSameAs(setup.model());
        assertThat(frozen.rows(folded, setup.start(), setup.data())).isSameAs(first);
        // Another dataset is computed for itself.
        Dataset part = setup.data().select(new int[] {3, 1, 4});
        float[] rows = frozen.rows(setup.model(), setup.start(), part);
        assertThat(rows).isNotSameAs(first).hasSize(3 * 8);
    }

    @Test
    void itAnswersOnlyForTheModelItWasMadeForWithBZero() {
        Setup setup = Setup.of("bert");
        FrozenHeadInputs frozen = FrozenHeadInputs.of(setup.model(), HEAD_ONLY);
        // A non-zero B changes the encoder's output under masks: no answer.
        List<INDArray> b = setup.start().b().stream().map(factor -> factor.add(1e-3)).toList();
        Adapter trainedB = new Adapter(setup.start().a(), b, setup.start().headWeights(), setup.start().headBias());
        assertThat(frozen.rows(setup.model(), trainedB, setup.data())).isNull();
        // Another W0 (a fold of non-zero residuals): no answer.
        Classifier changed = setup.model().withAdaptedLayers(setup.model().layers().stream()
                .map(layer -> new LoraLayer(layer.frozen().add(1e-3), layer.scale())).toList());
        assertThat(frozen.rows(changed, setup.start(), setup.data())).isNull();
        // Runs whose LoRA trains, or on ND4J, have no memo.
        LocalTrainer.Settings lora = new LocalTrainer.Settings(3, 8, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.01, true,
                TrainingEngine.JAVA);
        LocalTrainer.Settings nd4j = new LocalTrainer.Settings(3, 8, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.01, false,
                TrainingEngine.ND4J);
        assertThat(FrozenHeadInputs.of(setup.model(), lora)).isSameAs(FrozenHeadInputs.NONE);
        assertThat(FrozenHeadInputs.of(setup.model(), nd4j)).isSameAs(FrozenHeadInputs.NONE);
        assertThat(FrozenHeadInputs.NONE.rows(setup.model(), setup.start(), setup.data())).isNull();
    }
}
