package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.MlpClassifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java engine against ND4J in float64 as the reference: the same model, data, masks, batches and
 * optimizer must give the same trained adapter up to float32 rounding.
 */
class DenseMlpTrainingTest {
    private static final int[] WIDTHS = {12, 20, 16};

    /** The teacher-student task and data in one precision, drawn from one seed: float32 is float64 rounded. */
    private record Setup(MlpClassifier model, Adapter start, Dataset data, List<LoraMask> masks) {
        static Setup of(DataType dataType, double scale) {
            TeacherStudent workload = new TeacherStudent(WIDTHS, 3, 2, 3.0, 0.1);
            SplittableRandom random = new SplittableRandom(11);
            TeacherStudent.Task task = workload.build(4, 8, false, dataType, random);
            Dataset data = workload.sample(task, 37, dataType, random);
            List<LoraMask> masks = new ArrayList<>();
            for (LoraLayer layer : task.student().layers()) {
                masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.4, random));
            }
            // LoRA starts with B = 0; a non-zero B makes every factor's gradient non-zero from the first step.
            List<INDArray> b = new ArrayList<>();
            for (INDArray factor : task.initial().b()) {
                b.add(Nd4j.rand(new SplittableRandom(3).nextLong(), factor.shape()).subi(0.5).muli(0.2).castTo(dataType));
            }
            Adapter start = new Adapter(task.initial().a(), b, task.initial().headWeights(), task.initial().headBias());
            MlpClassifier model = (MlpClassifier) task.student().withLoraScaled(scale);
            return new Setup(model, start, data, masks);
        }

        LocalTrainer.Outcome train(LocalTrainer.Settings settings) {
            return LocalTrainer.train(model, start, masks, data, settings, new SplittableRandom(7));
        }
    }

    @ParameterizedTest(name = "{0}, train LoRA {1}")
    @CsvSource({"ADAMW, true", "SGD, true", "ADAMW, false"})
    void trainsAsNd4jInFloat64UpToFloat32Rounding(LocalTrainer.Optimizer optimizer, boolean trainLora) {
        // 37 samples in batches of 8: the last batch is short; weight decay on, LoRA scale not 1.
        LocalTrainer.Settings settings = new LocalTrainer.Settings(3, 8, optimizer == LocalTrainer.Optimizer.SGD ? 0.2 : 1e-2,
                optimizer, 0.05, trainLora);
        Setup reference = Setup.of(DataType.DOUBLE, 1.5);
        Setup dense = Setup.of(DataType.FLOAT, 1.5);
        LocalTrainer.Outcome expected = reference.train(settings.withEngine(TrainingEngine.ND4J));
        LocalTrainer.Outcome actual = dense.train(settings.withEngine(TrainingEngine.JAVA));

        assertThat(actual.lastEpochLoss()).isCloseTo(expected.lastEpochLoss(),
                org.assertj.core.data.Offset.offset(1e-5 * Math.abs(expected.lastEpochLoss())));
        List<INDArray> startArrays = arrays(reference.start());
        List<INDArray> expectedArrays = arrays(expected.adapter());
        List<INDArray> actualArrays = arrays(actual.adapter());
        for (int i = 0; i < startArrays.size(); i++) {
            INDArray expectedUpdate = expectedArrays.get(i).sub(startArrays.get(i));
            INDArray actualUpdate = actualArrays.get(i).castTo(DataType.DOUBLE).sub(startArrays.get(i));
            double size = expectedUpdate.amaxNumber().doubleValue();
            double error = actualUpdate.sub(expectedUpdate).amaxNumber().doubleValue();
            if (!trainLora && i < startArrays.size() - 2) {
                assertThat(size).as("array %d is frozen without LoRA training", i).isZero();
                assertThat(actualArrays.get(i)).as("array %d", i).isEqualTo(arrays(dense.start()).get(i));
            } else {
                assertThat(size).as("array %d moved", i).isGreaterThan(1e-4);
                assertThat(error).as("update of array %d against its size %s", i, size).isLessThan(2e-5 * size);
            }
        }
    }

    @Test
    void droppedEntriesLeaveTrainingExactlyAsTheyCameAndTheSameSeedGivesTheSameBits() {
        Setup dense = Setup.of(DataType.FLOAT, 1);
        LocalTrainer.Settings settings = new LocalTrainer.Settings(4, 8, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.1)
                .withEngine(TrainingEngine.JAVA);
        LocalTrainer.Outcome first = dense.train(settings);
        LocalTrainer.Outcome second = dense.train(settings);
        assertThat(second.lastEpochLoss()).isEqualTo(first.lastEpochLoss());
        assertThat(arrays(second.adapter())).isEqualTo(arrays(first.adapter()));
        for (int u = 0; u < dense.masks().size(); u++) {
            LoraMask mask = dense.masks().get(u);
            INDArray a = first.adapter().a().get(u);
            INDArray b = first.adapter().b().get(u);
            for (int c = 0; c < mask.columns().length; c++) {
                if (!mask.columns()[c]) {
                    assertThat(a.getColumn(c)).isEqualTo(dense.start().a().get(u).getColumn(c));
                } else {
                    assertThat(a.getColumn(c)).isNotEqualTo(dense.start().a().get(u).getColumn(c));
                }
            }
            for (int r = 0; r < mask.rows().length; r++) {
                if (!mask.rows()[r]) {
                    assertThat(b.getRow(r)).isEqualTo(dense.start().b().get(u).getRow(r));
                } else {
                    assertThat(b.getRow(r)).isNotEqualTo(dense.start().b().get(u).getRow(r));
                }
            }
        }
        assertThat(first.adapter().a().get(0).dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void autoPicksJavaForNarrowFloat32MlpsAndNd4jOtherwise() {
        MlpClassifier narrow = Setup.of(DataType.FLOAT, 1).model();
        MlpClassifier inFloat64 = Setup.of(DataType.DOUBLE, 1).model();
        int wide = TrainingEngine.JAVA_WIDEST + 1;
        MlpClassifier wideModel = new MlpClassifier(List.of(new LoraLayer(Nd4j.zeros(DataType.FLOAT, wide, 8), 1)), 2,
                DataType.FLOAT);
        assertThat(TrainingEngine.AUTO.resolve(narrow)).isEqualTo(TrainingEngine.JAVA);
        assertThat(TrainingEngine.AUTO.resolve(inFloat64)).isEqualTo(TrainingEngine.ND4J);
        assertThat(TrainingEngine.AUTO.resolve(wideModel)).isEqualTo(TrainingEngine.ND4J);
        assertThat(TrainingEngine.ND4J.resolve(narrow)).isEqualTo(TrainingEngine.ND4J);
        assertThat(TrainingEngine.JAVA.resolve(wideModel)).isEqualTo(TrainingEngine.JAVA);
        assertThatThrownBy(() -> TrainingEngine.JAVA.resolve(inFloat64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32 mlp");
    }

    private static List<INDArray> arrays(Adapter adapter) {
        List<INDArray> list = new ArrayList<>();
        for (int u = 0; u < adapter.layers(); u++) {
            list.add(adapter.a().get(u));
            list.add(adapter.b().get(u));
        }
        list.add(adapter.headWeights());
        list.add(adapter.headBias());
        return list;
    }
}
