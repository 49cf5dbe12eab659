package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.LearningRateSchedule;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fine-tuning recipe against values computed by hand: the schedules' factors (HuggingFace's
 * formulas), and single SGD steps, whose change is the learning rate times the (clipped) gradient, so
 * that clipping, the head's rate and the schedule show in the change's size.
 */
class FineTuningRecipeTest {
    @Test
    void linearScheduleWarmsUpThenFallsToZero() {
        LearningRateSchedule linear = new LearningRateSchedule(LearningRateSchedule.Kind.LINEAR, 0.1);
        // 20 steps, warm-up ⌈0.1 · 20⌉ = 2: 0/2, 1/2, then (20 − t)/18.
        assertThat(linear.factor(0, 20)).isEqualTo(0);
        assertThat(linear.factor(1, 20)).isEqualTo(0.5);
        assertThat(linear.factor(2, 20)).isEqualTo(1);
        assertThat(linear.factor(11, 20)).isEqualTo(0.5);
        assertThat(linear.factor(19, 20)).isCloseTo(1 / 18.0, within(1e-15));
        // ⌈0.15 · 10⌉ = 2 warm-up steps.
        assertThat(new LearningRateSchedule(LearningRateSchedule.Kind.LINEAR, 0.15).factor(1, 10)).isEqualTo(0.5);
    }

    @Test
    void cosineAndConstantSchedules() {
        LearningRateSchedule cosine = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0);
        assertThat(cosine.factor(0, 10)).isEqualTo(1);
        assertThat(cosine.factor(5, 10)).isCloseTo(0.5, within(1e-15));
        assertThat(cosine.factor(9, 10)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.9)), within(1e-15));
        LearningRateSchedule warm = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.25);
        assertThat(warm.factor(1, 8)).isEqualTo(0.5);
        assertThat(warm.factor(5, 8)).isEqualTo(1);
        assertThat(LearningRateSchedule.CONSTANT.factor(0, 1)).isEqualTo(1);
        assertThat(LearningRateSchedule.CONSTANT.isConstant()).isTrue();
        assertThat(warm.isConstant()).isFalse();
    }

    /** A teacher-student MLP, 10 samples in one batch: one epoch is one step. */
    private record Step(Classifier model, Adapter start, Dataset data, List<LoraMask> masks) {
        static Step of(DataType dataType) {
            TeacherStudent workload = new TeacherStudent(new int[] {12, 20, 16}, 3, 2, 3.0, 0.1);
            SplittableRandom random = new SplittableRandom(3);
            TeacherStudent.Task task = workload.build(4, 8, false, dataType, random);
            Dataset data = workload.sample(task, 10, dataType, random);
            Adapter initial = task.initial();
            // B = 0 and a zero head would leave most gradients zero: start from random values.
            Adapter start = new Adapter(initial.a(), initial.b().stream().map(b -> TestSequences.gaussian(b, 0.3, random)).toList(),
                    TestSequences.gaussian(initial.headWeights(), 0.3, random), TestSequences.gaussian(initial.headBias(), 0.3, random));
            return new Step(task.student(), start, data, task.student().fullMasks());
        }

        /** Each array's change after one local training. */
        List<INDArray> change(LocalTrainer.Settings settings, TrainingEngine engine, LocalTrainer.Progress progress) {
            Adapter trained = LocalTrainer.train(model, start, masks, data, settings.withEngine(engine), new SplittableRandom(1),
                    progress).adapter();
            return java.util.stream.IntStream.range(0, start.arrays().size())
                    .mapToObj(i -> trained.arrays().get(i).castTo(DataType.DOUBLE).sub(start.arrays().get(i).castTo(DataType.DOUBLE)))
                    .toList();
        }
    }

    private static double norm(List<INDArray> arrays) {
        return Math.sqrt(arrays.stream().mapToDouble(a -> Math.pow(a.norm2Number().doubleValue(), 2)).sum());
    }

    private static LocalTrainer.Settings sgd(double rate) {
        return new LocalTrainer.Settings(1, 10, rate, LocalTrainer.Optimizer.SGD, 0);
    }

    @ParameterizedTest
    @EnumSource(value = TrainingEngine.class, names = {"ND4J", "JAVA"})
    void clippingLimitsTheStepToTheRateTimesTheMaximumNorm(TrainingEngine engine) {
        Step step = Step.of(engine == TrainingEngine.JAVA ? DataType.FLOAT : DataType.DOUBLE);
        double rate = 0.1;
        double unclipped = norm(step.change(sgd(rate), engine, LocalTrainer.Progress.ALONE)) / rate;
        double maxNorm = unclipped / 4;
        double clipped = norm(step.change(sgd(rate).withRecipe(LearningRateSchedule.CONSTANT, maxNorm, rate), engine,
                LocalTrainer.Progress.ALONE));
        double relative = engine == TrainingEngine.JAVA ? 1e-4 : 1e-9;
        assertThat(unclipped).isGreaterThan(0.01);
        // ‖Δθ‖ = rate · ‖g‖ · maxNorm / (‖g‖ + 1e-6).
        assertThat(clipped).isCloseTo(rate * unclipped * maxNorm / (unclipped + 1e-6), within(relative * rate * maxNorm));
        // Above the gradient's norm, clipping changes nothing.
        double loose = norm(step.change(sgd(rate).withRecipe(LearningRateSchedule.CONSTANT, unclipped * 2, rate), engine,
                LocalTrainer.Progress.ALONE));
        assertThat(loose).isCloseTo(rate * unclipped, within(relative * rate * unclipped));
    }

    @ParameterizedTest
    @EnumSource(value = TrainingEngine.class, names = {"ND4J", "JAVA"})
    void theHeadTakesItsOwnRateAndTheScheduleScalesBoth(TrainingEngine engine) {
        Step step = Step.of(engine == TrainingEngine.JAVA ? DataType.FLOAT : DataType.DOUBLE);
        List<INDArray> plain = step.change(sgd(0.1), engine, LocalTrainer.Progress.ALONE);
        List<INDArray> fastHead = step.change(sgd(0.1).withRecipe(LearningRateSchedule.CONSTANT, 0, 0.3), engine,
                LocalTrainer.Progress.ALONE);
        // Round 3 of 4 under a linear decay without warm-up, one step a round: factor (4 − 3) / 4.
        List<INDArray> decayed = step.change(sgd(0.1).withRecipe(new LearningRateSchedule(LearningRateSchedule.Kind.LINEAR, 0),
                0, 0.3), engine, new LocalTrainer.Progress(3, 4));
        int head = plain.size() - 2;
        double tolerance = engine == TrainingEngine.JAVA ? 1e-5 : 1e-12;
        for (int i = 0; i < plain.size(); i++) {
            double expected = i >= head ? 3 : 1;
            double size = plain.get(i).amaxNumber().doubleValue();
            assertThat(size).as("array %d moved", i).isGreaterThan(1e-4);
            assertThat(fastHead.get(i).sub(plain.get(i).mul(expected)).amaxNumber().doubleValue()).as("array %d", i)
                    .isLessThan(tolerance * expected * size * 10);
            assertThat(decayed.get(i).sub(plain.get(i).mul(expected * 0.25)).amaxNumber().doubleValue()).as("array %d", i)
                    .isLessThan(tolerance * expected * size * 10);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TrainingEngine.class, names = {"ND4J", "JAVA"})
    void weightDecayLeavesTheHeadBiasAlone(TrainingEngine engine) {
        Step step = Step.of(engine == TrainingEngine.JAVA ? DataType.FLOAT : DataType.DOUBLE);
        LocalTrainer.Settings adamW = new LocalTrainer.Settings(1, 10, 0.01, LocalTrainer.Optimizer.ADAMW, 0);
        LocalTrainer.Settings decayed = new LocalTrainer.Settings(1, 10, 0.01, LocalTrainer.Optimizer.ADAMW, 0.5);
        List<INDArray> without = step.change(adamW, engine, LocalTrainer.Progress.ALONE);
        List<INDArray> with = step.change(decayed, engine, LocalTrainer.Progress.ALONE);
        int bias = without.size() - 1;
        assertThat(with.get(bias)).isEqualTo(without.get(bias));
        // The head's weights decay by rate · decay · value: their changes differ.
        INDArray headStart = step.start().headWeights().castTo(DataType.DOUBLE);
        INDArray expected = without.get(bias - 1).sub(headStart.mul(0.01 * 0.5));
        assertThat(with.get(bias - 1).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-6);
    }
}
