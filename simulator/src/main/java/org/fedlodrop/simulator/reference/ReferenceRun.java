package org.fedlodrop.simulator.reference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.baseline.BagOfWordsClassifier;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunRecordWriter;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ReferenceArm;
import org.fedlodrop.simulator.scenario.Scenario;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A reference arm's run ({@code training.arm}, {@link ReferenceArm}): the devices' data and the test set
 * exactly as the federated run with the same scenario and seed deals them, trained without the network.
 * It writes the files a federated run does, so that studies, {@code compare}, {@code table} and the
 * report read it the same way: rounds.csv (the learning columns; no time, energy or γ, as nothing was
 * sent), an empty devices.csv and events.jsonl, and summary.json (radio fields NaN or 0).
 */
public final class ReferenceRun {
    private ReferenceRun() {
    }

    /** Runs the scenario's arm into {@code directory}; returns its summary. */
    public static RunSummary run(LoadedScenario loaded, Path directory, RunProgress progress) throws IOException {
        Scenario scenario = loaded.scenario();
        RunSummaryBuilder summary = new RunSummaryBuilder(scenario.name(), scenario.seed(), 1);
        try (RunRecordWriter writer = new RunRecordWriter(directory)) {
            List<RoundRecord> rounds = switch (scenario.training().arm()) {
                case CENTRALISED -> centralised(loaded, writer, progress);
                case BAG_OF_WORDS -> bagOfWords(loaded, directory, writer, progress);
                case FEDERATED -> throw new IllegalArgumentException("the federated arm runs as a simulation");
            };
            rounds.forEach(summary::accept);
            writer.commit();
        }
        RunSummary built = summary.build();
        // Nothing went over the air: no participation, availability or γ to speak of.
        RunSummary result = new RunSummary(built.scenario(), built.seed(), built.rounds(), built.devices(), 0, 0, 0, 0,
                0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, built.finalTestLoss(), built.finalTestAccuracy(),
                built.bestTestLoss(), built.bestTestLossRound(), built.bestTestAccuracy(), built.bestTestAccuracyRound());
        AtomicFiles.write(directory.resolve(RunFiles.SUMMARY), RunFormats.jsonDocument().writeValueAsBytes(result));
        return result;
    }

    /**
     * The union of the devices' data trained in one place, as one training of {@code rounds × local_epochs} epochs:
     * every sample once per epoch, as often as in the federated run, the learning-rate schedule over all of
     * them, the optimizer's state kept throughout (a federated device starts AdamW afresh each round; trained in
     * one place nothing restarts it), no dropout; evaluated after every {@code local_epochs} epochs, as a round is
     * ({@code training.evaluate_every} as in a federated run).
     */
    private static List<RoundRecord> centralised(LoadedScenario loaded, RunRecordWriter writer, RunProgress progress) {
        Scenario scenario = loaded.scenario();
        RandomStreams streams = new RandomStreams(scenario.seed());
        LearningTask task = LearningTask.of(loaded, streams);
        Dataset union = union(task.local());
        Classifier model = task.model();
        List<LoraMask> masks = new ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            masks.add(LoraMask.full(layer.rows(), layer.columns()));
        }
        // The stream device 0 trains with: its epochs' orders are those of a one-device federated run without dropout.
        RandomGenerator random = streams.stream(org.fedlodrop.simulator.kernel.ActorIds.device(0), "training");
        LocalTrainer.Settings settings = task.training();
        int epochsPerRound = settings.epochs();
        List<RoundRecord> rows = new ArrayList<>();
        LocalTrainer.EpochListener evaluateEachRound = (epoch, loss, adapter) -> {
            if ((epoch + 1) % epochsPerRound != 0) {
                return;
            }
            int round = rows.size();
            if (!scenario.training().evaluates(round, scenario.rounds())) {
                rows.add(record(writer, progress, round, union.size(), Double.NaN, Double.NaN, Double.NaN));
            } else {
                double trainLoss = LocalTrainer.evaluate(model, adapter, union, settings.engine(), task.frozen()).loss();
                Classifier.Evaluation test = LocalTrainer.evaluate(model, adapter, task.test(), settings.engine(),
                        task.frozen());
                rows.add(record(writer, progress, round, union.size(), trainLoss, test.loss(), test.accuracy()));
            }
        };
        LocalTrainer.train(model, new LocalTrainer.Job(task.initial(), masks, union,
                settings.withEpochs(epochsPerRound * scenario.rounds()), random, LocalTrainer.Progress.ALONE,
                evaluateEachRound, task.frozen()));
        return rows;
    }

    /**
     * {@code bag-of-words.json}: what the bag-of-words arm fitted, so that another library can be fitted to the same
     * texts (scripts/bag-of-words-check.py): the files read, the training file's lines of the union in order
     * (as the file counts them, header included), the number of test texts (the test file's first), the
     * vocabulary's size.
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"library", "training_file", "test_file", "training_lines",
            "test_texts", "vocabulary"})
    public record BagOfWordsFit(String library, String trainingFile, String testFile, int[] trainingLines, int testTexts,
                                int vocabulary) {
        public static final String FILE = "bag-of-words.json";
    }

    /** TF-IDF and logistic regression fitted once to the union of the devices' training texts: one row. */
    private static List<RoundRecord> bagOfWords(LoadedScenario loaded, Path directory, RunRecordWriter writer,
                                                RunProgress progress) throws IOException {
        LearningTask.DeviceTexts texts = LearningTask.DeviceTexts.of(loaded, new RandomStreams(loaded.scenario().seed()));
        LabelledText union = texts.union();
        BagOfWordsClassifier classifier = new BagOfWordsClassifier(union.texts(), union.labels());
        BagOfWordsClassifier.Evaluation train = classifier.evaluate(union.texts(), union.labels());
        BagOfWordsClassifier.Evaluation test = classifier.evaluate(texts.test().texts(), texts.test().labels());
        AtomicFiles.write(directory.resolve(BagOfWordsFit.FILE), RunFormats.jsonDocument().writeValueAsBytes(
                new BagOfWordsFit("Tribuo " + org.tribuo.Tribuo.VERSION, loaded.text().orElseThrow().trainFile().toString(),
                        loaded.text().orElseThrow().testFile().toString(), union.lines(), texts.test().size(),
                        classifier.vocabularySize())));
        return List.of(record(writer, progress, 0, union.size(), train.loss(), test.loss(), test.accuracy()));
    }

    private static RoundRecord record(RunRecordWriter writer, RunProgress progress, int round, long samples,
                                      double trainLoss, double testLoss, double testAccuracy) {
        RoundRecord row = new RoundRecord(round, 0, 0, 0, 0, 1, 1, 0, 0, Double.NaN, samples, Double.NaN, Double.NaN, 0,
                0, 0, trainLoss, testLoss, testAccuracy, testLoss - trainLoss);
        writer.append(row);
        progress.roundFinished(row);
        return row;
    }

    /** The devices' samples in one set, device after device. */
    static Dataset union(List<Dataset> local) {
        int[] labels = local.stream().flatMapToInt(d -> java.util.Arrays.stream(d.labels())).toArray();
        return new Dataset(Nd4j.concat(0, local.stream().map(Dataset::features).toArray(org.nd4j.linalg.api.ndarray.INDArray[]::new)),
                labels);
    }
}
