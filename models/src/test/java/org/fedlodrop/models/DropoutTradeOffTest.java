package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.TeacherStudent;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A shrunken federated run on the synthetic workload (10 devices of 20 noisy samples): without
 * dropout LoRA overfits; training loss rises with γ, the generalisation gap falls, and an interior γ
 * gives a lower test loss than both γ = 0 and γ = 0.9 — the paper's trade-off.
 */
class DropoutTradeOffTest {
    private static FederatedRounds.Metrics run(double gamma, int seed) {
        TeacherStudent workload = new TeacherStudent(new int[] {32, 64, 64}, 4, 4, 3.0, 0.2);
        SplittableRandom random = new SplittableRandom(seed);
        TeacherStudent.Task task = workload.build(8, 16, false, DataType.FLOAT, random);
        List<Dataset> local = new ArrayList<>();
        List<RandomGenerator> devices = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            local.add(workload.sample(task, 20, DataType.FLOAT, random));
            devices.add(new SplittableRandom(100 + k));
        }
        Dataset test = workload.sample(task, 1000, DataType.FLOAT, random);
        FederatedRounds rounds = new FederatedRounds(task.student(), task.initial(), AggregationMode.MASKED_MEAN,
                MaskMode.EXACT, new LocalTrainer.Settings(3, 10, 1e-2, LocalTrainer.Optimizer.ADAMW, 0));
        double[] gammas = new double[10];
        Arrays.fill(gammas, gamma);
        for (int r = 0; r < 20; r++) {
            rounds.round(local, gammas, random, devices);
        }
        return rounds.evaluate(local, test);
    }

    @Test
    void anInteriorDropoutRateGeneralisesBest() {
        FederatedRounds.Metrics none = run(0, 0);
        FederatedRounds.Metrics some = run(0.3, 0);
        FederatedRounds.Metrics most = run(0.9, 0);
        String table = String.format("γ=0: %s%nγ=0.3: %s%nγ=0.9: %s", none, some, most);
        assertThat(none.trainLoss()).as(table).isLessThan(some.trainLoss());
        assertThat(some.trainLoss()).as(table).isLessThan(most.trainLoss());
        assertThat(none.generalisationGap()).as(table).isGreaterThan(some.generalisationGap());
        assertThat(some.generalisationGap()).as(table).isGreaterThan(most.generalisationGap());
        assertThat(some.testLoss()).as(table).isLessThan(none.testLoss()).isLessThan(most.testLoss());
    }
}
