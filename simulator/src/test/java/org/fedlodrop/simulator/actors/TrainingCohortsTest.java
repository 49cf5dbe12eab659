package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.TeacherStudent;
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
    void theFirstDeviceToNeedItsResultStartsEverythingQueuedBeforeThenInDeviceOrderAndCohortsOfTheSize() {
        List<Runnable> started = new ArrayList<>();
        TrainingCohorts cohorts = new TrainingCohorts(started::add, 2);
        // Queued at download ends, in the order a clock step might run them: times 10, 10, 20, 30, 40 and 50 ns.
        long[] queuedNs = {30, 10, 20, 10, 50, 40};
        List<CompletableFuture<LocalTrainer.Outcome>> outcomes = new ArrayList<>();
        for (int device : new int[] {3, 1, 0, 2, 5, 4}) {
            while (outcomes.size() <= device) {
                outcomes.add(null);
            }
            // Device 0 needs its result at 45 ns, device 4 at once (50 ns), the others later.
            long neededNs = device == 0 ? 45 : device == 4 ? 50 : 100 + device;
            outcomes.set(device, cohorts.queue(device, queuedNs[device], neededNs, model, job(device)));
        }
        assertThat(started).isEmpty();

        // Device 0 (queued at 30 ns) needs its result at 45 ns: devices 0 to 3 and 5 (queued at 40 ns) start,
        // in cohorts {0, 1}, {2, 3}, {5}; device 4, queued at 50 ns, waits.
        cohorts.start(0, 45);
        assertThat(started).hasSize(3);
        started.forEach(Runnable::run);
        assertThat(outcomes.get(4)).isNotDone();
        List<LocalTrainer.Outcome> first = together(0, 1);
        List<LocalTrainer.Outcome> second = together(2, 3);
        List<LocalTrainer.Outcome> third = together(5);
        assertThat(outcomes.get(0).join().adapter().arrays()).isEqualTo(first.get(0).adapter().arrays());
        assertThat(outcomes.get(1).join().adapter().arrays()).isEqualTo(first.get(1).adapter().arrays());
        assertThat(outcomes.get(2).join().adapter().arrays()).isEqualTo(second.get(0).adapter().arrays());
        assertThat(outcomes.get(3).join().adapter().arrays()).isEqualTo(second.get(1).adapter().arrays());
        assertThat(outcomes.get(5).join().adapter().arrays()).isEqualTo(third.get(0).adapter().arrays());

        // Device 4 needs its result the moment it was queued (a computation of no duration): it starts alone.
        started.clear();
        cohorts.start(4, 50);
        assertThat(started).hasSize(1);
        started.get(0).run();
        assertThat(outcomes.get(4).join().adapter().arrays()).isEqualTo(together(4).get(0).adapter().arrays());
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
