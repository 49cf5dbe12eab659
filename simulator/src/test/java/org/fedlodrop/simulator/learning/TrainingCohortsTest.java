package org.fedlodrop.simulator.learning;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Which devices train together, and when: decided by virtual time and device order only. */
class TrainingCohortsTest {
    private static final int DEVICES = 6;

    private final Classifier model;
    private final List<Dataset> data = new ArrayList<>();
    private final List<List<LoraMask>> masks = new ArrayList<>();
    private final TeacherStudent.Task task;

    TrainingCohortsTest() {
        SplittableRandom random = new SplittableRandom(5);
        TeacherStudent workload = new TeacherStudent(new int[] {8, 16, 16}, 2, 2, 3.0, 0.1);
        task = workload.build(4, 8, false, DataType.FLOAT, random);
        model = task.student();
        for (int d = 0; d < DEVICES; d++) {
            data.add(workload.sample(task, 12 + 3 * d, DataType.FLOAT, random));
            List<LoraMask> deviceMasks = new ArrayList<>();
            for (LoraLayer layer : model.layers()) {
                deviceMasks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.3, random));
            }
            masks.add(deviceMasks);
        }
    }

    private LocalTrainer.Job job(int device) {
        return new LocalTrainer.Job(task.initial(), masks.get(device), data.get(device),
                new LocalTrainer.Settings(2, 5, 1e-2, LocalTrainer.Optimizer.ADAMW, 0).withEngine(TrainingEngine.JAVA),
                new SplittableRandom(device));
    }

    private List<LocalTrainer.Outcome> together(int... devices) {
        List<LocalTrainer.Job> jobs = new ArrayList<>();
        for (int device : devices) {
            jobs.add(job(device));
        }
        return LocalTrainer.trainTogether(model, jobs);
    }

    @Test
    void aDeviceThatNeedsItsResultStartsWhatItsBlockQueuedBeforeAsOneCohort() {
        List<Runnable> started = new ArrayList<>();
        TrainingCohorts cohorts = new TrainingCohorts(started::add, 2);
        // Blocks {0, 1}, {2, 3}, {4, 5}; queued at download ends, in the order a window might run them.
        long[] queuedNs = {30, 10, 20, 10, 50, 40};
        long[] neededNs = {45, 101, 102, 103, 50, 105};
        List<CompletableFuture<LocalTrainer.Outcome>> outcomes = new ArrayList<>(java.util.Collections.nCopies(DEVICES, null));
        for (int device : new int[] {3, 1, 0, 2, 5, 4}) {
            outcomes.set(device, cohorts.queue(device, queuedNs[device], neededNs[device], model, job(device)));
        }
        assertThat(started).isEmpty();

        // Device 0 needs its result at 45 ns: its block, {0, 1}, starts; the others wait for their own.
        cohorts.start(0, 45);
        assertThat(started).hasSize(1);
        started.remove(0).run();
        assertThat(outcomes.get(2)).isNotDone();
        List<LocalTrainer.Outcome> first = together(0, 1);
        assertThat(outcomes.get(0).join().adapter().arrays()).isEqualTo(first.get(0).adapter().arrays());
        assertThat(outcomes.get(1).join().adapter().arrays()).isEqualTo(first.get(1).adapter().arrays());

        cohorts.start(3, 103);
        assertThat(started).hasSize(1);
        started.remove(0).run();
        List<LocalTrainer.Outcome> second = together(2, 3);
        assertThat(outcomes.get(2).join().adapter().arrays()).isEqualTo(second.get(0).adapter().arrays());
        assertThat(outcomes.get(3).join().adapter().arrays()).isEqualTo(second.get(1).adapter().arrays());

        // Device 5 asks at 105 ns, but device 4 needed its result at 50 ns, the moment it was queued: at 50 ns
        // device 5 (queued at 40 ns) started, and device 4 alone (a computation of no duration).
        cohorts.start(5, 105);
        assertThat(started).hasSize(2);
        started.forEach(Runnable::run);
        assertThat(outcomes.get(5).join().adapter().arrays()).isEqualTo(together(5).get(0).adapter().arrays());
        assertThat(outcomes.get(4).join().adapter().arrays()).isEqualTo(together(4).get(0).adapter().arrays());
        assertThat(TrainingCohorts.block(7, 4)).isEqualTo(1);
    }

    @Test
    void theCohortsDoNotDependOnWhichDeviceAsksFirst() {
        // Queued at 10, 20, 30 ns; needed at 25, 60, 70 ns: at 25 ns {0, 1} start, at 60 ns {2}.
        long[] queuedNs = {10, 20, 30};
        long[] neededNs = {25, 60, 70};
        for (int[] askingOrder : new int[][] {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}) {
            List<Runnable> started = new ArrayList<>();
            TrainingCohorts cohorts = new TrainingCohorts(started::add, 4);
            List<CompletableFuture<LocalTrainer.Outcome>> outcomes = new ArrayList<>();
            for (int device = 0; device < 3; device++) {
                outcomes.add(cohorts.queue(device, queuedNs[device], neededNs[device], model, job(device)));
            }
            for (int device : askingOrder) {
                cohorts.start(device, neededNs[device]);
            }
            assertThat(started).as("asked in order %s", java.util.Arrays.toString(askingOrder)).hasSize(2);
            started.forEach(Runnable::run);
            List<LocalTrainer.Outcome> first = together(0, 1);
            assertThat(outcomes.get(0).join().adapter().arrays()).isEqualTo(first.get(0).adapter().arrays());
            assertThat(outcomes.get(1).join().adapter().arrays()).isEqualTo(first.get(1).adapter().arrays());
            assertThat(outcomes.get(2).join().adapter().arrays()).isEqualTo(together(2).get(0).adapter().arrays());
        }
    }

    @Test
    void aTrainingAlreadyStartedIsNotStartedAgainAndAFailureReachesEveryMember() {
        List<Runnable> started = new ArrayList<>();
        TrainingCohorts cohorts = new TrainingCohorts(started::add, 4);
        CompletableFuture<LocalTrainer.Outcome> zero = cohorts.queue(0, 10, 20, model, job(0));
        LocalTrainer.Job broken = new LocalTrainer.Job(task.initial(), masks.get(1), data.get(1),
                job(1).settings().withEpochs(1).withEngine(TrainingEngine.JAVA), new SplittableRandom(1));
        // Settings that differ beyond epochs cannot share a cohort: the whole cohort fails, and says why.
        LocalTrainer.Job other = new LocalTrainer.Job(broken.start(), broken.masks(), broken.data(),
                new LocalTrainer.Settings(1, 3, 1e-2, LocalTrainer.Optimizer.SGD, 0).withEngine(TrainingEngine.JAVA),
                broken.random());
        CompletableFuture<LocalTrainer.Outcome> one = cohorts.queue(1, 10, 20, model, other);
        cohorts.start(0, 20);
        cohorts.start(1, 20);
        assertThat(started).hasSize(1);
        started.get(0).run();
        assertThatThrownBy(zero::join).hasMessageContaining("differ in epochs only");
        assertThatThrownBy(one::join).hasMessageContaining("differ in epochs only");
        assertThatThrownBy(() -> new TrainingCohorts(Runnable::run, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
