package org.fedlodrop.simulator.learning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.Partitions;
import org.fedlodrop.models.data.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.net.TransformerClassifier;
import org.fedlodrop.models.random.Variates;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.PretrainedBase;
import org.fedlodrop.models.text.TextEncoding;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.text.Vocabulary;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.AdaptedProjection;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.TextWorkloadFiles;
import org.fedlodrop.simulator.scenario.Workload;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What learns in a run with a workload: the student model (frozen base with LoRA), its starting
 * adapter, every device's local data, the test set and the training settings. Built once from the
 * scenario and the seed; never changed (the base station keeps the evolving global adapter).
 */
public record LearningTask(Classifier model, Adapter initial, List<Dataset> local, Dataset test,
                           LocalTrainer.Settings training) {

    public static LearningTask of(LoadedScenario loaded, RandomStreams streams) {
        Scenario scenario = loaded.scenario();
        if (scenario.data().workload() == Workload.TEXT_CLASSIFICATION) {
            return text(scenario, loaded.text().orElseThrow(
                    () -> new IllegalStateException("text-classification scenario loaded without its files")), streams);
        }
        return synthetic(scenario, streams);
    }

    private static LearningTask synthetic(Scenario scenario, RandomStreams streams) {
        Scenario.Model m = scenario.model();
        Scenario.Data data = scenario.data();
        int[] widths = m.widths().stream().mapToInt(Integer::intValue).toArray();
        TeacherStudent workload = new TeacherStudent(widths, m.classes(), m.teacherRank(), m.teacherPerturbation(),
                data.labelNoise());
        RandomGenerator random = streams.stream("workload", "task");
        TeacherStudent.Task task = workload.build(m.rank(), m.alpha(), m.rsLora(), DataType.FLOAT, random);
        int devices = scenario.devices().count();
        Dataset pool = workload.sample(task, devices * data.samplesPerDevice(), DataType.FLOAT, random);
        Dataset test = workload.sample(task, data.testSamples(), DataType.FLOAT, streams.stream("workload", "test"));
        return new LearningTask(task.student(), task.initial(), partition(scenario, pool, m.classes(), streams), test,
                settings(scenario));
    }

    /**
     * Text classification: the base from the checkpoint (or a random one of the scenario's shape),
     * LoRA on the chosen projections, a fresh head for the training file's labels; the training pool is
     * D_k × K texts drawn without replacement from the training file, label noise applied to them only;
     * the test set is the test file's first {@code data.test_samples} texts.
     */
    private static LearningTask text(Scenario scenario, TextWorkloadFiles files, RandomStreams streams) {
        Scenario.Model m = scenario.model();
        Scenario.Data data = scenario.data();
        Scenario.Transformer t = m.transformer();
        LabelSet labels = LabelSet.of(files.train().labels());
        PretrainedBase base = files.base().orElse(null);
        Vocabulary vocabulary = base != null ? base.vocabulary() : Vocabulary.build(files.train().texts(), t.vocabulary(), 1);
        TransformerClassifier.Shape shape = base != null
                ? new TransformerClassifier.Shape(base.shape().vocabulary(), base.shape().maxLength(), base.shape().width(),
                        base.shape().blocks(), base.shape().heads(), base.shape().feedForward(), labels.size())
                : new TransformerClassifier.Shape(vocabulary.size(), t.maxLength(), t.width(), t.blocks(), t.heads(),
                        t.feedForward(), labels.size());
        RandomGenerator random = streams.stream("workload", "task");
        TransformerClassifier.Weights weights = base != null ? base.weights()
                : TransformerClassifier.Weights.random(shape, DataType.FLOAT, random);
        EnumSet<TransformerClassifier.Projection> adapted = EnumSet.noneOf(TransformerClassifier.Projection.class);
        m.adapted().stream().map(AdaptedProjection::projection).forEach(adapted::add);
        TransformerClassifier model = new TransformerClassifier(shape, weights, adapted,
                LoraLayer.scale(m.alpha(), m.rank(), m.rsLora()), DataType.FLOAT);
        Adapter initial = model.initialAdapter(m.rank(), random);

        int devices = scenario.devices().count();
        int[] order = Variates.permutation(files.train().size(), streams.stream("workload", "sample"));
        LabelledText pool = pick(files.train(), java.util.Arrays.copyOf(order, devices * data.samplesPerDevice()));
        pool = withLabelNoise(pool, labels, data.labelNoise(), streams.stream("workload", "noise"));
        int testCount = Math.min(data.testSamples(), files.test().size());
        int[] first = new int[testCount];
        for (int i = 0; i < testCount; i++) {
            first[i] = i;
        }
        LabelledText testText = pick(files.test(), first);
        try {
            Dataset train = TextEncoding.encode(pool, files.trainFile(), vocabulary, labels, shape.maxLength(), DataType.FLOAT);
            Dataset test = TextEncoding.encode(testText, files.testFile(), vocabulary, labels, shape.maxLength(), DataType.FLOAT);
            return new LearningTask(model, initial, partition(scenario, train, labels.size(), streams), test,
                    settings(scenario));
        } catch (TextFileException e) {
            // The loader checked that every test label occurs in training; reaching here is a bug.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static LabelledText pick(LabelledText text, int[] indices) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int[] lines = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            texts.add(text.texts().get(indices[i]));
            labels.add(text.labels().get(indices[i]));
            lines[i] = text.lines()[indices[i]];
        }
        return new LabelledText(texts, labels, lines);
    }

    private static LabelledText withLabelNoise(LabelledText text, LabelSet labels, double noise, RandomGenerator random) {
        List<String> noisy = new ArrayList<>();
        for (String label : text.labels()) {
            noisy.add(random.nextDouble() < noise ? labels.names().get(random.nextInt(labels.size())) : label);
        }
        return new LabelledText(text.texts(), noisy, text.lines());
    }

    private static List<Dataset> partition(Scenario scenario, Dataset pool, int classes, RandomStreams streams) {
        Scenario.Data data = scenario.data();
        int devices = scenario.devices().count();
        RandomGenerator split = streams.stream("workload", "partition");
        List<int[]> parts = switch (data.partition()) {
            case IID -> Partitions.iid(pool.size(), devices, split);
            case LABEL_SKEW -> Partitions.labelSkew(pool.labels(), classes, devices, data.dirichletAlpha(), split);
            case QUANTITY_SKEW -> Partitions.quantitySkew(pool.size(), devices, data.dirichletAlpha(), split);
        };
        List<Dataset> local = new ArrayList<>();
        for (int[] part : parts) {
            local.add(pool.select(part));
        }
        return local;
    }

    private static LocalTrainer.Settings settings(Scenario scenario) {
        Scenario.Training t = scenario.training();
        return new LocalTrainer.Settings(t.localEpochs(), t.batchSize(), t.learningRate(), t.optimizer(), t.weightDecay());
    }

    /** Where a text workload's files are, for provenance; empty for other workloads. */
    public static List<Path> dataFiles(LoadedScenario loaded) {
        return loaded.text().map(f -> List.of(f.trainFile(), f.testFile())).orElse(List.of());
    }
}
