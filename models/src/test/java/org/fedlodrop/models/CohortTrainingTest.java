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
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A round's devices trained together (their frozen products stacked, {@link LocalTrainer#trainTogether})
 * against each trained alone: equal up to float summation order, and the same bits every time.
 */
class CohortTrainingTest {
    /** Four devices of one round: the same model and starting sub-adapter, their own masks, data, epochs and seeds. */
    private record Round(Classifier model, List<LocalTrainer.Job> jobs) {
        static Round of(String family, LocalTrainer.Optimizer optimizer) {
            SplittableRandom random = new SplittableRandom(21);
            Classifier model;
            Adapter start;
            List<Dataset> data = new ArrayList<>();
            int[] sizes = {23, 9, 31, 17};
            if (family.equals("mlp")) {
                TeacherStudent workload = new TeacherStudent(new int[] {12, 20, 16}, 3, 2, 3.0, 0.1);
                TeacherStudent.Task task = workload.build(4, 8, false, DataType.FLOAT, random);
                model = task.student().withLoraScaled(1.5);
                start = task.initial();
                for (int size : sizes) {
                    data.add(workload.sample(task, size, DataType.FLOAT, random));
                }
            } else {
                TransformerClassifier.Shape shape = family.equals("transformer")
                        ? new TransformerClassifier.Shape(13, 6, 8, 2, 2, 12, 3)
                        : new TransformerClassifier.Shape(13, 32, 32, 1, 1, 12, 3); // attention in OpenBLAS
                TransformerClassifier transformer = new TransformerClassifier(shape,
                        TransformerClassifier.Weights.random(shape, DataType.FLOAT, random),
                        EnumSet.allOf(TransformerClassifier.Projection.class), 1.5, DataType.FLOAT);
                model = transformer;
                start = transformer.initialAdapter(4, random);
                for (int size : sizes) {
                    Dataset sequences = TestSequences.padded(shape, size, random);
                    data.add(new Dataset(sequences.features().castTo(DataType.FLOAT), sequences.labels()));
                }
            }
            // B = 0 at LoRA's start would leave A's first gradients zero; a random head makes every gradient move.
            List<INDArray> b = start.b().stream().map(f -> TestSequences.gaussian(f, 0.2, random)).toList();
            start = new Adapter(start.a(), b, TestSequences.gaussian(start.headWeights(), 0.5, random),
                    TestSequences.gaussian(start.headBias(), 0.5, random));
            LocalTrainer.Settings settings = new LocalTrainer.Settings(1, 8,
                    optimizer == LocalTrainer.Optimizer.SGD ? 0.2 : 1e-2, optimizer, 0.05, true)
                    .withEngine(TrainingEngine.JAVA);
            double[] gammas = {0.0, 0.4, 0.25, 0.6};
            int[] epochs = {2, 3, 1, 2};
            List<LocalTrainer.Job> jobs = new ArrayList<>();
            for (int d = 0; d < sizes.length; d++) {
                List<LoraMask> masks = new ArrayList<>();
                for (LoraLayer layer : model.layers()) {
                    masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), gammas[d], random));
                }
                jobs.add(new LocalTrainer.Job(start, masks, data.get(d), settings.withEpochs(epochs[d]),
                        new SplittableRandom(100 + d)));
            }
            return new Round(model, jobs);
        }

        /** The same jobs with fresh random streams (a stream is consumed by training). */
        List<LocalTrainer.Job> fresh() {
            List<LocalTrainer.Job> again = new ArrayList<>();
            for (int d = 0; d < jobs.size(); d++) {
                LocalTrainer.Job job = jobs.get(d);
                again.add(new LocalTrainer.Job(job.start(), job.masks(), job.data(), job.settings(),
                        new SplittableRandom(100 + d)));
            }
            return again;
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"mlp, ADAMW", "mlp, SGD", "transformer, ADAMW", "transformer, SGD", "wide-head transformer, ADAMW"})
    void eachDeviceTrainsTogetherAsItDoesAloneUpToSummationOrder(String family, LocalTrainer.Optimizer optimizer) {
        Round round = Round.of(family, optimizer);
        List<LocalTrainer.Outcome> together = LocalTrainer.trainTogether(round.model(), round.fresh());
        List<LocalTrainer.Job> alone = round.fresh();
        assertThat(together).hasSize(alone.size());
        for (int d = 0; d < alone.size(); d++) {
            LocalTrainer.Job job = alone.get(d);
            LocalTrainer.Outcome expected = LocalTrainer.train(round.model(), job.start(), job.masks(), job.data(),
                    job.settings(), job.random());
            LocalTrainer.Outcome actual = together.get(d);
            assertThat(actual.lastEpochLoss()).as("device %d's loss", d).isCloseTo(expected.lastEpochLoss(),
                    org.assertj.core.data.Offset.offset(1e-5 * Math.abs(expected.lastEpochLoss())));
            List<INDArray> start = job.start().arrays();
            for (int i = 0; i < start.size(); i++) {
                INDArray expectedUpdate = expected.adapter().arrays().get(i).sub(start.get(i));
                INDArray actualUpdate = actual.adapter().arrays().get(i).sub(start.get(i));
                double size = expectedUpdate.amaxNumber().doubleValue();
                double error = actualUpdate.sub(expectedUpdate).amaxNumber().doubleValue();
                // An update is the difference of two float32 numbers of the parameter's size: it cannot be
                // known closer than one rounding of the largest of them (what a small SGD step runs into).
                double rounding = Math.ulp(expected.adapter().arrays().get(i).amaxNumber().floatValue());
                assertThat(size).as("device %d's array %d moved", d, i).isGreaterThan(1e-4);
                assertThat(error).as("device %d's update of array %d against its size %s", d, i, size)
                        .isLessThanOrEqualTo(Math.max(1e-5 * size, rounding));
            }
        }
    }

    @Test
    void aCohortGivesTheSameBitsEveryTimeAndKeepsEachDevicesDroppedEntries() {
        Round round = Round.of("transformer", LocalTrainer.Optimizer.ADAMW);
        List<LocalTrainer.Outcome> first = LocalTrainer.trainTogether(round.model(), round.fresh());
        List<LocalTrainer.Outcome> second = LocalTrainer.trainTogether(round.model(), round.fresh());
        for (int d = 0; d < first.size(); d++) {
            assertThat(second.get(d).lastEpochLoss()).isEqualTo(first.get(d).lastEpochLoss());
            assertThat(second.get(d).adapter().arrays()).isEqualTo(first.get(d).adapter().arrays());
            LoraMask mask = round.jobs().get(d).masks().get(0);
            INDArray a = first.get(d).adapter().a().get(0);
            for (int c = 0; c < mask.columns().length; c++) {
                INDArray before = round.jobs().get(d).start().a().get(0).getColumn(c);
                assertThat(a.getColumn(c).equals(before)).as("device %d, column %d kept %s", d, c, mask.columns()[c])
                        .isEqualTo(!mask.columns()[c]);
            }
        }
    }

    @Test
    void onNd4jACohortIsItsDevicesOneAfterTheOther() {
        Round round = Round.of("mlp", LocalTrainer.Optimizer.ADAMW);
        List<LocalTrainer.Job> jobs = round.fresh().stream().map(job -> new LocalTrainer.Job(job.start(), job.masks(),
                job.data(), job.settings().withEngine(TrainingEngine.ND4J), job.random())).toList();
        List<LocalTrainer.Outcome> together = LocalTrainer.trainTogether(round.model(), jobs);
        List<LocalTrainer.Job> alone = round.fresh();
        for (int d = 0; d < alone.size(); d++) {
            LocalTrainer.Job job = alone.get(d);
            LocalTrainer.Outcome expected = LocalTrainer.train(round.model(), job.start(), job.masks(), job.data(),
                    job.settings().withEngine(TrainingEngine.ND4J), job.random());
            assertThat(together.get(d).adapter().arrays()).isEqualTo(expected.adapter().arrays());
        }
    }

    @Test
    void aCohortWhoseSettingsDifferBeyondEpochsIsRefused() {
        Round round = Round.of("mlp", LocalTrainer.Optimizer.ADAMW);
        List<LocalTrainer.Job> jobs = new ArrayList<>(round.fresh());
        LocalTrainer.Job last = jobs.remove(jobs.size() - 1);
        LocalTrainer.Settings other = new LocalTrainer.Settings(1, 4, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.05, true)
                .withEngine(TrainingEngine.JAVA);
        jobs.add(new LocalTrainer.Job(last.start(), last.masks(), last.data(), other, last.random()));
        assertThatThrownBy(() -> LocalTrainer.trainTogether(round.model(), jobs))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ in epochs only");
    }
}
