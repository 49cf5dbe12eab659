package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.Partitions;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.ScratchMemory;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LocalTrainingTest {
    private final TeacherStudent workload = new TeacherStudent(new int[] {16, 16, 16}, 4, 2, 3.0, 0.1);

    private List<LoraMask> masks(double gamma, SplittableRandom random) {
        List<LoraMask> masks = new ArrayList<>();
        masks.add(LoraMask.draw(MaskMode.EXACT, 16, 16, gamma, random));
        masks.add(LoraMask.draw(MaskMode.EXACT, 16, 16, gamma, random));
        return masks;
    }

    @Test
    void trainingLowersTheLossAndLeavesDroppedEntriesUntouched() {
        for (LocalTrainer.Optimizer optimizer : LocalTrainer.Optimizer.values()) {
            SplittableRandom random = new SplittableRandom(5);
            TeacherStudent.Task task = workload.build(4, 8, false, DataType.DOUBLE, random);
            Dataset data = workload.sample(task, 64, DataType.DOUBLE, random);
            List<LoraMask> masks = masks(0.5, random);
            double before = task.student().loss(task.initial(), masks, data.features(), data.labels());
            LocalTrainer.Outcome outcome = LocalTrainer.train(task.student(), task.initial(), masks, data,
                    new LocalTrainer.Settings(20, 16, optimizer == LocalTrainer.Optimizer.SGD ? 0.5 : 1e-2, optimizer, 0.01),
                    random);
            double after = task.student().loss(outcome.adapter(), masks, data.features(), data.labels());
            assertThat(after).as(optimizer.name()).isLessThan(before * 0.8);
            Adapter trained = outcome.adapter();
            for (int u = 0; u < 2; u++) {
                LoraMask mask = masks.get(u);
                for (int c = 0; c < 16; c++) {
                    if (!mask.columns()[c]) {
                        assertThat(trained.a().get(u).getColumn(c)).isEqualTo(task.initial().a().get(u).getColumn(c));
                    }
                }
                for (int r = 0; r < 16; r++) {
                    if (!mask.rows()[r]) {
                        assertThat(trained.b().get(u).getRow(r)).isEqualTo(task.initial().b().get(u).getRow(r));
                    }
                }
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = TrainingEngine.class, names = {"ND4J", "JAVA"})
    void theSameSeedGivesTheSameLossesToTheLastBit(TrainingEngine engine) {
        double[] losses = new double[2];
        for (int run = 0; run < 2; run++) {
            SplittableRandom random = new SplittableRandom(11);
            TeacherStudent.Task task = workload.build(4, 8, false, DataType.FLOAT, random);
            Dataset data = workload.sample(task, 48, DataType.FLOAT, random);
            losses[run] = LocalTrainer.train(task.student(), task.initial(), masks(0.3, random), data,
                    new LocalTrainer.Settings(3, 16, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.01).withEngine(engine), random)
                    .lastEpochLoss();
        }
        assertThat(Double.doubleToRawLongBits(losses[1])).isEqualTo(Double.doubleToRawLongBits(losses[0]));
    }

    /**
     * A training step's arrays live in this thread's scratch workspace: what training returns is not
     * in it (a workspace array would be overwritten by the next step), and training again reuses the
     * block it grew to instead of growing (resident memory flat from round to round).
     */
    @Test
    void trainingReusesItsScratchMemoryAndReturnsNothingFromIt() {
        SplittableRandom random = new SplittableRandom(13);
        TeacherStudent.Task task = workload.build(4, 8, false, DataType.FLOAT, random);
        Dataset data = workload.sample(task, 50, DataType.FLOAT, random);
        List<LoraMask> masks = masks(0.3, random);
        LocalTrainer.Settings settings = new LocalTrainer.Settings(2, 16, 1e-2, LocalTrainer.Optimizer.ADAMW, 0.01)
                .withEngine(TrainingEngine.ND4J);
        long[] sizes = new long[3];
        for (int run = 0; run < sizes.length; run++) {
            Adapter trained = LocalTrainer.train(task.student(), task.initial(), masks, data, settings, random).adapter();
            for (INDArray array : List.of(trained.a().get(0), trained.b().get(1), trained.headWeights(), trained.headBias())) {
                assertThat(array.isAttached()).as("a returned array in scratch memory").isFalse();
            }
            task.student().evaluate(trained, masks, data.features(), data.labels());
            MemoryWorkspace scratch = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(ScratchMemory.TRAINING_STEP);
            assertThat(scratch.getCurrentSize()).as("scratch block after training run " + run).isPositive();
            sizes[run] = scratch.getCurrentSize();
        }
        assertThat(sizes[2]).isEqualTo(sizes[1]);
    }

    @Test
    void partitionsGiveEverySampleToExactlyOneDevice() {
        SplittableRandom random = new SplittableRandom(2);
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 5;
        }
        for (List<int[]> parts : List.of(Partitions.iid(1000, 7, random), Partitions.labelSkew(labels, 5, 7, 0.3, random),
                Partitions.quantitySkew(1000, 7, 0.5, random))) {
            assertThat(parts).hasSize(7).allSatisfy(part -> assertThat(part).isNotEmpty());
            int[] all = parts.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertThat(all).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(all[i]).isEqualTo(i);
            }
        }
        assertThat(meanLabelEntropy(Partitions.labelSkew(labels, 5, 10, 0.1, random), labels))
                .isLessThan(meanLabelEntropy(Partitions.labelSkew(labels, 5, 10, 100, random), labels) - 0.5);
        int[] iidSizes = Partitions.iid(1000, 10, random).stream().mapToInt(p -> p.length).toArray();
        assertThat(Arrays.stream(iidSizes).max().orElseThrow() - Arrays.stream(iidSizes).min().orElseThrow()).isLessThanOrEqualTo(1);
        int[] skewed = Partitions.quantitySkew(1000, 10, 0.3, random).stream().mapToInt(p -> p.length).toArray();
        assertThat(Arrays.stream(skewed).max().orElseThrow()).isGreaterThan(200);
    }

    private static double meanLabelEntropy(List<int[]> parts, int[] labels) {
        double sum = 0;
        for (int[] part : parts) {
            double[] counts = new double[5];
            for (int i : part) {
                counts[labels[i]]++;
            }
            double entropy = 0;
            for (double count : counts) {
                if (count > 0) {
                    double p = count / part.length;
                    entropy -= p * Math.log(p);
                }
            }
            sum += entropy;
        }
        return sum / parts.size();
    }
}
