package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.MlpClassifier;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A learning run saves its final global model; loaded again, it gives the test loss the run recorded. */
class CheckpointTest {
    @TempDir
    Path temp;

    private static INDArray array(SafeTensors.Tensor tensor) {
        return Nd4j.createFromArray(tensor.data()).reshape(tensor.shape()).castTo(DataType.FLOAT);
    }

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

        double scale = Double.parseDouble(contents.metadata().get("lora_scale"));
        List<LoraLayer> layers = new ArrayList<>();
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        List<LoraMask> full = new ArrayList<>();
        for (int u = 0; u < 2; u++) {
            INDArray w = array(contents.tensors().get("layers." + u + ".weight"));
            layers.add(new LoraLayer(w, scale));
            a.add(array(contents.tensors().get("layers." + u + ".lora_A")));
            b.add(array(contents.tensors().get("layers." + u + ".lora_B")));
            full.add(LoraMask.full((int) w.rows(), (int) w.columns()));
        }
        MlpClassifier model = new MlpClassifier(layers, 4, DataType.FLOAT);
        Adapter adapter = new Adapter(a, b, array(contents.tensors().get("head.weight")),
                array(contents.tensors().get("head.bias")));
        LoadedScenario loaded = TestScenarios.quickstart(overrides);
        LearningTask task = LearningTask.of(loaded, new RandomStreams(loaded.scenario().seed()));
        double loss = model.loss(adapter, full, task.test().features(), task.test().labels());
        assertThat(loss).isCloseTo(run.rounds().get(2).testLoss(), within(1e-5));
    }
}
