package org.fedlodrop.simulator.learning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.Partitions;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.random.Variates;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.train.LearningRateSchedule;
import org.fedlodrop.models.train.FrozenHeadInputs;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.simulator.extension.ExtensionFailure;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.ExtensionSpec;
import org.fedlodrop.models.family.ModelFamily;
import org.fedlodrop.simulator.scenario.PartitionScheme;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.TextWorkloadFiles;
import org.fedlodrop.simulator.scenario.Workload;

/**
 * What learns in a run with a workload: the student model (frozen base with LoRA), its starting
 * adapter, every device's local data, the test set and the training settings. Built once from the
 * scenario and the seed; never changed (the base station keeps the evolving global adapter). Where the
 * LoRA factors do not train, the run's devices and server share one memo of the head's inputs
 * ({@link FrozenHeadInputs}), which fills as they ask.
 */
public record LearningTask(Classifier model, Adapter initial, List<Dataset> local, Dataset test,
                           LocalTrainer.Settings training, FrozenHeadInputs frozen) {

    public LearningTask(Classifier model, Adapter initial, List<Dataset> local, Dataset test,
                        LocalTrainer.Settings training) {
        this(model, initial, local, test, training, FrozenHeadInputs.of(model, training));
    }

    public static LearningTask of(LoadedScenario loaded, RandomStreams streams) {
        return of(loaded, streams, loaded.fleet().samples());
    }

    /**
     * The task with device k holding {@code sizes[k]} samples (the fleet's D_k) under IID and by-group
     * partitions; label and quantity skew deal the same total their own way.
     */
    public static LearningTask of(LoadedScenario loaded, RandomStreams streams, int[] sizes) {
        Scenario scenario = loaded.scenario();
        ModelFamily.Loaded family = loaded.family().orElseThrow(
                () -> new IllegalStateException("a scenario with a workload loaded without its model family"));
        Extensions.Registered registered = ExtensionSpec.registered(scenario, ExtensionKind.MODEL_FAMILY,
                loaded.extensions());
        try {
            if (scenario.data().workload() == Workload.TEXT_CLASSIFICATION) {
                TextWorkloadFiles files = loaded.text().orElseThrow(
                        () -> new IllegalStateException("text-classification scenario loaded without its files"));
                return text(scenario, files, family, streams, sizes);
            }
            return synthetic(scenario, family, streams, sizes);
        } catch (RuntimeException | LinkageError e) {
            if (registered.builtIn()) {
                throw e; // ours: a bug, reported as one
            }
            throw new ExtensionFailure(ExtensionFailure.name(registered) + " failed to build what the run learns: " + e, e);
        }
    }

    /** D_k of every device, in device order: the sizes of their local data. */
    public int[] localSizes() {
        return local.stream().mapToInt(Dataset::size).toArray();
    }

    /** The family's synthetic task: its student and data, the pool dealt to the devices as the partition says. */
    private static LearningTask synthetic(Scenario scenario, ModelFamily.Loaded family, RandomStreams streams,
                                          int[] sizes) {
        Scenario.Data data = scenario.data();
        ModelFamily.SyntheticTask task = family.synthetic(java.util.Arrays.stream(sizes).sum(), data.testSamples(),
                data.labelNoise(), streams.stream("workload", "task"), streams.stream("workload", "test"));
        return new LearningTask(task.student(), task.initial(), partition(scenario, task.pool(), task.classes(), streams,
                sizes), task.test(), settings(scenario));
    }

    /**
     * Text classification: the family's classifier for the training file's labels (its random parts from the
     * task's stream); the training pool is D_k × K texts drawn without replacement from the training file,
     * label noise applied to them only; the test set is the test file's first {@code data.test_samples} texts.
     */
    private static LearningTask text(Scenario scenario, TextWorkloadFiles files, ModelFamily.Loaded family,
                                     RandomStreams streams, int[] sizes) {
        LabelSet labels = LabelSet.of(files.train().labels());
        try (ModelFamily.TextModel model = family.text(labels, files.train(), streams.stream("workload", "task"))) {
            DeviceTexts texts = DeviceTexts.of(scenario, files, labels, streams, sizes);
            Dataset test = model.encoder().encode(texts.test(), files.testFile());
            List<Dataset> local = new ArrayList<>();
            for (LabelledText part : texts.local()) {
                local.add(model.encoder().encode(part, files.trainFile()));
            }
            return new LearningTask(model.model(), model.initial(), local, test, settings(scenario));
        } catch (TextFileException e) {
            // The loader checked that every test label occurs in training; reaching here is a bug.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The texts of a text workload before encoding: every device's training texts and the test texts.
     * D_k × K texts are drawn without replacement from the training file, label noise applied to them only,
     * then partitioned; or, by group, each device's texts come from its groups. The test set is the test
     * file's first {@code data.test_samples} texts. The reference arms train on the union of {@code local}.
     */
    public record DeviceTexts(List<LabelledText> local, LabelledText test) {
        public DeviceTexts {
            local = List.copyOf(local);
        }

        /** The texts as the scenario's run with this seed deals them. */
        public static DeviceTexts of(LoadedScenario loaded, RandomStreams streams) {
            Scenario scenario = loaded.scenario();
            TextWorkloadFiles files = loaded.text().orElseThrow(
                    () -> new IllegalStateException("text-classification scenario loaded without its files"));
            int[] sizes = loaded.fleet().samples();
            return of(scenario, files, LabelSet.of(files.train().labels()), streams, sizes);
        }

        static DeviceTexts of(Scenario scenario, TextWorkloadFiles files, LabelSet labels, RandomStreams streams,
                              int[] sizes) {
            Scenario.Data data = scenario.data();
            int testCount = Math.min(data.testSamples(), files.test().size());
            int[] first = new int[testCount];
            for (int i = 0; i < testCount; i++) {
                first[i] = i;
            }
            LabelledText test = files.test().select(first);
            List<LabelledText> local = new ArrayList<>();
            if (data.partition() == PartitionScheme.BY_GROUP) {
                List<int[]> parts = Partitions.byGroup(files.train().groups(), sizes, data.groupsPerDevice(),
                        streams.stream("workload", "partition"));
                RandomGenerator noise = streams.stream("workload", "noise");
                for (int[] part : parts) {
                    local.add(withLabelNoise(files.train().select(part), labels, data.labelNoise(), noise));
                }
            } else {
                int[] order = Variates.permutation(files.train().size(), streams.stream("workload", "sample"));
                LabelledText pool = files.train().select(java.util.Arrays.copyOf(order, java.util.Arrays.stream(sizes).sum()));
                pool = withLabelNoise(pool, labels, data.labelNoise(), streams.stream("workload", "noise"));
                int[] classes = pool.labels().stream().mapToInt(labels::indexOf).toArray();
                for (int[] part : partition(scenario, pool.size(), classes, labels.size(), streams, sizes)) {
                    local.add(pool.select(part));
                }
            }
            return new DeviceTexts(local, test);
        }

        /** All devices' training texts, device after device. */
        public LabelledText union() {
            List<String> texts = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            int[] lines = local.stream().flatMapToInt(part -> java.util.Arrays.stream(part.lines())).toArray();
            for (LabelledText part : local) {
                texts.addAll(part.texts());
                labels.addAll(part.labels());
                groups.addAll(part.groups());
            }
            return new LabelledText(texts, labels, lines, groups);
        }
    }

    private static LabelledText withLabelNoise(LabelledText text, LabelSet labels, double noise, RandomGenerator random) {
        List<String> noisy = new ArrayList<>();
        for (String label : text.labels()) {
            noisy.add(random.nextDouble() < noise ? labels.names().get(random.nextInt(labels.size())) : label);
        }
        return new LabelledText(text.texts(), noisy, text.lines(), text.groups());
    }

    /** The devices' shares of a pool of {@code size} samples with these class indices, as the partition deals them. */
    private static List<int[]> partition(Scenario scenario, int size, int[] classIndices, int classes,
                                         RandomStreams streams, int[] sizes) {
        Scenario.Data data = scenario.data();
        int devices = sizes.length;
        RandomGenerator split = streams.stream("workload", "partition");
        return switch (data.partition()) {
            case IID -> Partitions.iid(sizes, split);
            case LABEL_SKEW -> Partitions.labelSkew(classIndices, classes, devices, data.dirichletAlpha(), split);
            case LABEL_SHARDS -> Partitions.labelShards(classIndices, classes, sizes, data.classesPerDevice(), split);
            case QUANTITY_SKEW -> Partitions.quantitySkew(size, devices, data.dirichletAlpha(), split);
            case BY_GROUP -> throw new IllegalStateException("by-group partitions are drawn from the files' groups");
        };
    }

    private static List<Dataset> partition(Scenario scenario, Dataset pool, int classes, RandomStreams streams,
                                           int[] sizes) {
        List<Dataset> local = new ArrayList<>();
        for (int[] part : partition(scenario, pool.size(), pool.labels(), classes, streams, sizes)) {
            local.add(pool.select(part));
        }
        return local;
    }

    private static LocalTrainer.Settings settings(Scenario scenario) {
        Scenario.Training t = scenario.training();
        return new LocalTrainer.Settings(t.localEpochs(), t.batchSize(), t.learningRate(), t.optimizer(), t.weightDecay(),
                t.trainLora(), t.engine()).withRecipe(new LearningRateSchedule(t.schedule(), t.warmupShare()),
                t.maxGradNorm(), t.effectiveHeadLearningRate()).withLengthBuckets(t.lengthBuckets());
    }

    /** Where a text workload's files are, for provenance; empty for other workloads. */
    public static List<Path> dataFiles(LoadedScenario loaded) {
        return loaded.text().map(f -> List.of(f.trainFile(), f.testFile())).orElse(List.of());
    }
}
