package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A training's epoch listener (what the centralised arm evaluates between its rounds) sees, after epoch k, the
 * adapter that a training of k + 1 epochs from the same start and stream ends with, and that epoch's loss: telling
 * it changes nothing of the training, on either engine.
 */
class EpochListenerTest {
    private record Seen(int epoch, double loss, Adapter adapter) {
    }

    @ParameterizedTest
    @EnumSource(value = TrainingEngine.class, names = {"ND4J", "JAVA"})
    void theListenerSeesWhatAShorterTrainingEndsWith(TrainingEngine engine) {
        TeacherStudent workload = new TeacherStudent(new int[] {12, 20, 16}, 3, 2, 1.0, 0.1);
        SplittableRandom random = new SplittableRandom(5);
        TeacherStudent.Task task = workload.build(4, 8, false, DataType.FLOAT, random);
        Dataset data = workload.sample(task, 10, DataType.FLOAT, random);
        // Batches of 4 over 10 samples: three AdamW steps an epoch, the last of two samples.
        LocalTrainer.Settings settings = new LocalTrainer.Settings(3, 4, 0.05, LocalTrainer.Optimizer.ADAMW, 0.01)
                .withEngine(engine);
        List<Seen> seen = new ArrayList<>();
        LocalTrainer.Outcome whole = LocalTrainer.train(task.student(), new LocalTrainer.Job(task.initial(),
                task.student().fullMasks(), data, settings, new SplittableRandom(1), LocalTrainer.Progress.ALONE,
                (epoch, loss, adapter) -> seen.add(new Seen(epoch, loss, adapter.copy()))));
        assertThat(seen).extracting(Seen::epoch).containsExactly(0, 1, 2);
        for (int k = 1; k <= 3; k++) {
            LocalTrainer.Outcome shorter = LocalTrainer.train(task.student(), task.initial(), task.student().fullMasks(),
                    data, settings.withEpochs(k), new SplittableRandom(1));
            Seen after = seen.get(k - 1);
            assertThat(after.loss()).as("epoch %d's loss", k - 1).isEqualTo(shorter.lastEpochLoss());
            for (int i = 0; i < shorter.adapter().arrays().size(); i++) {
                assertThat(after.adapter().arrays().get(i)).as("array %d after epoch %d", i, k - 1)
                        .isEqualTo(shorter.adapter().arrays().get(i));
            }
        }
        // The last epoch's adapter is the training's outcome, and the adapters moved from epoch to epoch.
        assertThat(seen.get(2).adapter().arrays()).isEqualTo(whole.adapter().arrays());
        assertThat(seen.get(1).adapter().arrays().get(1)).isNotEqualTo(seen.get(0).adapter().arrays().get(1));
    }
}
