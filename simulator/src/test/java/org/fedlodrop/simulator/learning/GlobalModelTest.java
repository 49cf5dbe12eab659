package org.fedlodrop.simulator.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the base station hands a device to train on follows the global model as aggregation changes it. */
class GlobalModelTest {

    @Test
    void afterExactAggregationDevicesTrainOnTheFoldedW0() {
        LoadedScenario loaded = TestScenarios.load("synthetic.yaml", "dropout.aggregation=exact", "devices.count=3");
        LearningTask task = LearningTask.of(loaded, new RandomStreams(1));
        GlobalModel global = new GlobalModel(task, AggregationMode.EXACT, MaskMode.EXACT, false);
        assertThat(global.trainingModel(0.3)).isSameAs(task.model());

        SplittableRandom random = new SplittableRandom(2);
        List<Aggregator.Update> updates = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            List<LoraMask> masks = global.masks(0.3, random);
            LocalTrainer.Outcome trained = LocalTrainer.train(global.trainingModel(0.3), global.adapter(), masks,
                    task.local().get(k), task.training(), random);
            updates.add(new Aggregator.Update(trained.adapter(), masks, global.samples(k)));
        }
        global.aggregateAndEvaluate(updates);

        Classifier next = global.trainingModel(0.3);
        for (int u = 0; u < next.layers().size(); u++) {
            INDArray folded = next.layers().get(u).frozen();
            INDArray original = task.model().layers().get(u).frozen();
            // The checkpoint holds the server's W0: the device gets exactly that, not the original base.
            float[] saved = global.checkpoint(0, 8).tensors().get(next.adaptedLayerName(u) + ".weight").data();
            assertThat(saved).containsExactly(folded.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat());
            assertThat(folded.sub(original).norm2Number().doubleValue()).as("layer " + u).isGreaterThan(1e-6);
        }
    }

    @Test
    void rescaleMultipliesTheTrainingScaleOnly() {
        LoadedScenario loaded = TestScenarios.load("synthetic.yaml", "dropout.rescale=true", "devices.count=2");
        LearningTask task = LearningTask.of(loaded, new RandomStreams(1));
        GlobalModel global = new GlobalModel(task, AggregationMode.MASKED_MEAN, MaskMode.EXACT, true);
        double scale = task.model().layers().get(0).scale();
        assertThat(global.trainingModel(0.5).layers().get(0).scale()).isEqualTo(scale * 4);
        assertThat(global.trainingModel(0).layers().get(0).scale()).isEqualTo(scale);
    }
}
