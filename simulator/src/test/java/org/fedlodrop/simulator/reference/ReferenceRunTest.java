package org.fedlodrop.simulator.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceRunTest {
    @TempDir
    Path temp;

    /** One device, no dropout, budgets that never bind: a federated run that is centralised training in disguise. */
    private static final String[] ONE_DEVICE = {"devices.count=1", "data.samples_per_device=60", "rounds=4",
            "planner.solver=no-dropout", "dropout.aggregation=masked-mean", "budgets.latency_s=100000",
            "budgets.energy_j=100000"};

    private List<RoundRecord> run(String name, LoadedScenario loaded) throws Exception {
        Path directory = temp.resolve(name);
        Files.createDirectories(directory);
        ScenarioRun.execute(loaded, directory, 2, RunProgress.NONE);
        return RunTables.readCsv(directory.resolve(RunFiles.ROUNDS), RoundRecord.class);
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(base));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    @Test
    void underSgdCentralisedTrainingIsAOneDeviceFederatedRunWithoutDropout() throws Exception {
        // SGD keeps no state from step to step, so restarting it each round, as a federated device does, changes
        // nothing: round for round the arm is the federated run of one device.
        String[] sgd = with(ONE_DEVICE, "training.optimizer=sgd", "training.learning_rate=0.1");
        List<RoundRecord> federated = run("federated", TestScenarios.load("synthetic.yaml", sgd));
        List<RoundRecord> centralised = run("centralised",
                TestScenarios.load("synthetic.yaml", with(sgd, "training.arm=centralised")));
        assertThat(federated).hasSize(4).allSatisfy(round -> assertThat(round.devicesAggregated()).isEqualTo(1));
        assertThat(centralised).hasSize(4);
        for (int r = 0; r < 4; r++) {
            // The same data, steps and random stream; only float rounding differs, where the server weighs the one
            // update by D_k / D and averages the training loss over the devices' sets.
            assertThat(centralised.get(r).trainLoss()).isCloseTo(federated.get(r).trainLoss(), within(1e-6));
            assertThat(centralised.get(r).testLoss()).isCloseTo(federated.get(r).testLoss(), within(1e-6));
            assertThat(centralised.get(r).testAccuracy()).isEqualTo(federated.get(r).testAccuracy());
            // Nothing goes over the air.
            assertThat(centralised.get(r).energyJ()).isZero();
            assertThat(centralised.get(r).meanGamma()).isNaN();
        }
    }

    @Test
    void underAdamWCentralisedTrainingKeepsTheOptimizersStateAcrossRounds() throws Exception {
        List<RoundRecord> federated = run("federated", TestScenarios.load("synthetic.yaml", ONE_DEVICE));
        LoadedScenario loaded = TestScenarios.load("synthetic.yaml", with(ONE_DEVICE, "training.arm=centralised"));
        List<RoundRecord> centralised = run("centralised", loaded);
        // The first round is the federated device's; from the second the device starts AdamW afresh and the arm does not.
        assertThat(centralised.get(0).testLoss()).isCloseTo(federated.get(0).testLoss(), within(1e-6));
        for (int r = 1; r < 4; r++) {
            assertThat(Math.abs(centralised.get(r).testLoss() - federated.get(r).testLoss())).as("round %d", r)
                    .isGreaterThan(1e-4);
        }
        // The arm's rounds are one training: its last round scores what a single training of rounds × local_epochs
        // epochs from the same start, over the same union and stream, ends with.
        Scenario scenario = loaded.scenario();
        RandomStreams streams = new RandomStreams(scenario.seed());
        LearningTask task = LearningTask.of(loaded, streams);
        Classifier model = task.model();
        Adapter trained = LocalTrainer.train(model, task.initial(), model.fullMasks(), ReferenceRun.union(task.local()),
                task.training().withEpochs(task.training().epochs() * scenario.rounds()),
                streams.stream(ActorIds.device(0), "training")).adapter();
        Classifier.Evaluation test = LocalTrainer.evaluate(model, trained, task.test(), task.training().engine());
        assertThat(centralised.get(3).testLoss()).isEqualTo(test.loss());
        assertThat(centralised.get(3).testAccuracy()).isEqualTo(test.accuracy());
    }

    @Test
    void centralisedTrainingTakesTheUnionOfTheDevicesDataForTheSamePasses() throws Exception {
        LoadedScenario federated = TestScenarios.load("synthetic.yaml", "rounds=3", "devices.count=4");
        LearningTask task = LearningTask.of(federated, new RandomStreams(federated.scenario().seed()));
        Dataset union = ReferenceRun.union(task.local());
        int total = Arrays.stream(task.localSizes()).sum();
        assertThat(union.size()).isEqualTo(total);
        int row = 0;
        for (Dataset local : task.local()) {
            for (int i = 0; i < local.size(); i++, row++) {
                assertThat(union.labels()[row]).isEqualTo(local.labels()[i]);
                assertThat(union.features().getRow(row)).isEqualTo(local.features().getRow(i));
            }
        }
        List<RoundRecord> rounds = run("centralised", TestScenarios.load("synthetic.yaml", "rounds=3", "devices.count=4",
                "training.arm=centralised"));
        assertThat(rounds).hasSize(3).allSatisfy(round -> assertThat(round.aggregatedSamples()).isEqualTo(total));
        assertThat(rounds.get(2).trainLoss()).isLessThan(rounds.get(0).trainLoss());
    }

    @Test
    void bagOfWordsFitsTheUnionOfTheDevicesTextsAndIsTheSameBytesWhenRerun() throws Exception {
        LoadedScenario loaded = TestScenarios.load("text.yaml", "training.arm=bag-of-words", "devices.count=4",
                "data.samples_per_device=100");
        run("bow-1", loaded);
        run("bow-2", TestScenarios.load("text.yaml", "training.arm=bag-of-words", "devices.count=4",
                "data.samples_per_device=100"));
        for (String file : List.of(RunFiles.ROUNDS, RunFiles.SUMMARY, ReferenceRun.BagOfWordsFit.FILE)) {
            assertThat(Files.readAllBytes(temp.resolve("bow-2").resolve(file)))
                    .as(file).isEqualTo(Files.readAllBytes(temp.resolve("bow-1").resolve(file)));
        }
        // The texts are the devices' of the federated run with the same scenario and seed, device after device.
        LearningTask.DeviceTexts texts = LearningTask.DeviceTexts.of(loaded, new RandomStreams(loaded.scenario().seed()));
        assertThat(texts.local()).hasSize(4).allSatisfy(part -> assertThat(part.size()).isEqualTo(100));
        LabelledText union = texts.union();
        ReferenceRun.BagOfWordsFit fit = RunFormats.jsonDocument().readValue(
                temp.resolve("bow-1").resolve(ReferenceRun.BagOfWordsFit.FILE).toFile(), ReferenceRun.BagOfWordsFit.class);
        assertThat(fit.trainingLines()).isEqualTo(union.lines()).hasSize(400).doesNotHaveDuplicates();
        assertThat(fit.testTexts()).isEqualTo(Math.min(loaded.scenario().data().testSamples(),
                loaded.text().orElseThrow().test().size()));
        RunSummary summary = RunFormats.jsonDocument().readValue(temp.resolve("bow-1").resolve(RunFiles.SUMMARY).toFile(),
                RunSummary.class);
        assertThat(summary.rounds()).isEqualTo(1);
        assertThat(summary.participation()).isNaN();
        // Better than always answering the commonest test label.
        List<String> testLabels = texts.test().labels();
        double majority = testLabels.stream().distinct()
                .mapToLong(label -> testLabels.stream().filter(label::equals).count()).max().orElseThrow()
                / (double) testLabels.size();
        assertThat(summary.finalTestAccuracy()).isGreaterThan(majority);
        // Its report shows the learning and says why there is nothing of the radio.
        String report = Files.readString(temp.resolve("bow-1").resolve("report.html"));
        assertThat(report).contains("A reference arm", "id=\"accuracy\"").doesNotContain("id=\"bandwidth\"");
    }

    @Test
    void armsThatDoNotApplyAreLocatedErrors() {
        assertThatThrownBy(() -> ScenarioLoader.load(TestScenarios.file("synthetic.yaml"), List.of("training.arm=bag-of-words")))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("training.arm").hasMessageContaining("text-classification");
        assertThatThrownBy(() -> ScenarioLoader.load(TestScenarios.quickstart(), List.of("training.arm=centralised",
                "data.workload=none"))).isInstanceOf(ScenarioException.class).hasMessageContaining("training.arm");
        assertThatThrownBy(() -> ScenarioLoader.load(TestScenarios.quickstart(), List.of("training.arm=distributed")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("training.arm")
                .hasMessageContaining("bag-of-words");
    }
}
