package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/text.yaml shrunk: the transformer fine-tunes on the shipped reviews through the whole
 * simulator, rounds.csv reports learning, runs are byte-identical on 1 and 4 threads, and the saved
 * model, loaded again with the base, gives the test loss the run recorded.
 */
class TextWorkloadRunTest {
    private static final String[] SHRUNK = {"rounds=3", "devices.count=4", "data.test_samples=200",
        "dropout.aggregation=exact"};

    @TempDir
    Path temp;

    private Path run(String name, int threads, String... extra) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(SHRUNK));
        overrides.addAll(List.of(extra));
        return RunFixture.runScenario(temp.resolve(name), "text.yaml", threads, overrides.toArray(String[]::new))
                .directory();
    }

    @Test
    void fineTunesThePretrainedTransformerDeterministicallyAndSavesAReloadableModel() throws Exception {
        Path one = run("one", 1);
        Path four = run("four", 4);
        for (String file : List.of(RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.EVENTS, RunFiles.MODEL)) {
            assertThat(Files.readAllBytes(four.resolve(file))).as(file).isEqualTo(Files.readAllBytes(one.resolve(file)));
        }
        List<RoundRecord> rounds = RunTables.readCsv(one.resolve(RunFiles.ROUNDS), RoundRecord.class);
        assertThat(rounds).hasSize(3);
        // The pretrained base already separates sentiment; fine-tuning keeps test accuracy well above chance.
        assertThat(rounds.get(2).testAccuracy()).isGreaterThan(0.8);
        // Fine-tuning lowers the training loss of the global model over the rounds.
        assertThat(rounds.get(2).trainLoss()).isLessThan(rounds.get(0).trainLoss());
        List<DeviceRoundRecord> devices = RunTables.readCsv(one.resolve(RunFiles.DEVICES), DeviceRoundRecord.class);
        assertThat(devices).allSatisfy(d -> assertThat(d.localLoss()).isFinite());

        SafeTensors.Contents model = SafeTensors.read(one.resolve(RunFiles.MODEL));
        assertThat(model.metadata()).containsEntry("format", "fedlodrop-transformer").containsEntry("round", "2");
        assertThat(model.tensors()).containsKeys("embeddings.tokens", "blocks.1.attention.query.lora_A",
                "blocks.1.attention.value.lora_B", "head.weight");
        assertThat(model.tensors()).doesNotContainKey("blocks.0.attention.key.lora_A");

        LoadedScenario loaded = TestScenarios.load("text.yaml", SHRUNK);
        LearningTask task = LearningTask.of(loaded, new RandomStreams(loaded.scenario().seed()));
        SavedModels saved = SavedModels.read(model, task.model());
        assertThat(((TransformerClassifier) saved.model()).adapted()).containsExactlyInAnyOrder(Projection.QUERY,
                Projection.VALUE);
        double loss = saved.model().loss(saved.adapter(), saved.model().fullMasks(), task.test().features(),
                task.test().labels());
        assertThat(loss).isCloseTo(rounds.get(2).testLoss(), within(1e-5));
    }

    /** The java engine (auto's choice here) and ND4J differ only in float32 summation order. */
    @Test
    void bothTrainingEnginesFineTuneTheSame() throws Exception {
        List<RoundRecord> java = RunTables.readCsv(run("java", 2, "training.engine=java").resolve(RunFiles.ROUNDS),
                RoundRecord.class);
        List<RoundRecord> nd4j = RunTables.readCsv(run("nd4j", 2, "training.engine=nd4j").resolve(RunFiles.ROUNDS),
                RoundRecord.class);
        for (int r = 0; r < nd4j.size(); r++) {
            assertThat(java.get(r).trainLoss()).as("round %d train_loss", r)
                    .isCloseTo(nd4j.get(r).trainLoss(), org.assertj.core.data.Percentage.withPercentage(0.01));
            assertThat(java.get(r).testLoss()).as("round %d test_loss", r)
                    .isCloseTo(nd4j.get(r).testLoss(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
        assertThat(java.get(2).trainLoss()).isNotEqualTo(nd4j.get(2).trainLoss());
    }

    @Test
    void aRandomBaseOfTheScenariosShapeAlsoRuns() throws Exception {
        Path directory = run("random", 2, "model.checkpoint=''", "model.transformer.width=16", "model.transformer.heads=2",
                "model.adapted=[query, key, value, output, ff-in, ff-out]");
        List<RoundRecord> rounds = RunTables.readCsv(directory.resolve(RunFiles.ROUNDS), RoundRecord.class);
        assertThat(rounds).allSatisfy(r -> assertThat(r.testLoss()).isFinite());
        SafeTensors.Contents model = SafeTensors.read(directory.resolve(RunFiles.MODEL));
        assertThat(model.tensors().get("embeddings.tokens").shape()[1]).isEqualTo(16);
        assertThat(model.tensors()).containsKey("blocks.1.feed_forward.out.lora_B");
    }
}
