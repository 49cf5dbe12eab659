package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A learning run saves its final global model; loaded again, it gives the test loss the run recorded. */
class CheckpointTest {
    @TempDir
    Path temp;

    @Test
    void theSavedModelReproducesTheLastRoundsTestLoss() throws Exception {
        String[] overrides = {"data.workload=synthetic", "rounds=3", "model.widths=[16, 32, 32]", "planner.solver=fixed",
                "dropout.rate=0.3", "budgets.latency_s=130", "budgets.energy_j=110", "dropout.aggregation=exact"};
        RunFixture run = RunFixture.run(temp.resolve("run"), 2, overrides);
        SafeTensors.Contents contents = SafeTensors.read(run.directory().resolve(RunFiles.MODEL));
        assertThat(contents.metadata()).containsEntry("format", "fedlodrop-mlp").containsEntry("round", "2");
        assertThat(contents.tensors().keySet()).containsExactlyInAnyOrder("layers.0.weight", "layers.0.lora_A", "layers.0.lora_B",
                "layers.1.weight", "layers.1.lora_A", "layers.1.lora_B", "head.weight", "head.bias");
        assertThat(contents.tensors().get("layers.0.weight").shape()).containsExactly(32, 16);

        LoadedScenario loaded = TestScenarios.quickstart(overrides);
        LearningTask task = LearningTask.of(loaded, new RandomStreams(loaded.scenario().seed()));
        SavedModels saved = SavedModels.read(contents, task.model());
        double loss = saved.model().loss(saved.adapter(), saved.model().fullMasks(), task.test().features(),
                task.test().labels());
        assertThat(loss).isCloseTo(run.rounds().get(2).testLoss(), within(1e-5));
    }
}
