package org.fedlodrop.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.net.ScratchMemory;
import org.fedlodrop.models.random.Variates;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A device's local training (docs/model.md §2): E epochs of minibatch SGD or AdamW over its samples, on
 * the kept entries of its sub-adapter and the head. Dropped entries have zero gradient, and weight
 * decay is masked too, so they leave training exactly as they came.
 */
public final class LocalTrainer {
    public enum Optimizer { SGD, ADAMW }

    /**
     * Epochs E, batch size, learning rate, optimizer, AdamW's decoupled weight decay, whether the
     * LoRA factors train ({@code false}: the head alone, the frozen model's baseline), the engine
     * that runs the arithmetic, and the fine-tuning recipe: the learning-rate schedule over the run, the
     * global gradient norm above which a step's gradients are scaled down (0: no clipping), the
     * classification head's own learning rate, and whether texts of similar length are batched together
     * ({@link LengthBuckets}; models of token rows only).
     */
    public record Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay,
                           boolean trainLora, TrainingEngine engine, LearningRateSchedule schedule, double maxGradNorm,
                           double headLearningRate, boolean lengthBuckets) {
        public Settings {
            if (!(maxGradNorm >= 0)) {
                throw new IllegalArgumentException("maximum gradient norm " + maxGradNorm + ": expected 0 (off) or more");
            }
        }

        public Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay,
                        boolean trainLora, TrainingEngine engine) {
            this(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine, LearningRateSchedule.CONSTANT,
                    0, learningRate, false);
        }

        public Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay,
                        boolean trainLora) {
            this(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, TrainingEngine.AUTO);
        }

        public Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay) {
            this(epochs, batchSize, learningRate, optimizer, weightDecay, true);
        }

        /** The same settings for E = {@code epochs} (a device class's own local epochs). */
        public Settings withEpochs(int epochs) {
            return new Settings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine, schedule,
                    maxGradNorm, headLearningRate, lengthBuckets);
        }

        /** The same settings run by {@code engine}. */
        public Settings withEngine(TrainingEngine engine) {
            return new Settings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine, schedule,
                    maxGradNorm, headLearningRate, lengthBuckets);
        }

        /** The same settings with this schedule, clipping and head learning rate. */
        public Settings withRecipe(LearningRateSchedule schedule, double maxGradNorm, double headLearningRate) {
            return new Settings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine, schedule,
                    maxGradNorm, headLearningRate, lengthBuckets);
        }

        /** The same settings, batching texts of similar length together or not. */
        public Settings withLengthBuckets(boolean lengthBuckets) {
            return new Settings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine, schedule,
                    maxGradNorm, headLearningRate, lengthBuckets);
        }

        /**
         * An epoch's order of {@code data}'s samples: a random permutation from {@code random}, regrouped by
         * length when {@link #lengthBuckets} is on.
         */
        int[] epochOrder(Dataset data, int[] lengths, RandomGenerator random) {
            int[] order = Variates.permutation(data.size(), random);
            return lengthBuckets ? LengthBuckets.group(order, lengths, batchSize) : order;
        }

        /** Each sample's length when {@link #lengthBuckets} is on (null otherwise). */
        int[] lengths(Classifier model, Dataset data) {
            if (!lengthBuckets) {
                return null;
            }
            int pad = model.paddingToken().orElseThrow(() -> new IllegalArgumentException(
                    "length buckets need a model of token rows, not the " + model.family() + " family"));
            return LengthBuckets.lengths(data, pad);
        }

        /** Local steps of one round over {@code samples} samples: E passes of ⌈D / batch⌉ batches. */
        public long stepsPerRound(int samples) {
            return (long) epochs * ((samples + batchSize - 1) / batchSize);
        }
    }

    /**
     * Where a local training stands in the run, for the learning-rate schedule: round ρ of R. A device's
     * local step j is step ρ S + j of R S (see {@link LearningRateSchedule}).
     */
    public record Progress(int round, int rounds) {
        /** One local training that is the whole schedule. */
        public static final Progress ALONE = new Progress(0, 1);

        public Progress {
            if (rounds < 1 || round < 0 || round >= rounds) {
                throw new IllegalArgumentException("round " + round + " of " + rounds);
            }
        }
    }

    /** The trained adapter and the mean training loss of the last epoch. */
    public record Outcome(Adapter adapter, double lastEpochLoss) {
    }

    /**
     * Told at the end of each epoch of a training, with the adapter as it then stands: what the centralised arm
     * evaluates between its rounds, without restarting the optimizer. The adapter is the training's own on ND4J
     * and a fresh copy on the java engine: read it during the call, do not keep it.
     */
    @FunctionalInterface
    public interface EpochListener {
        EpochListener NONE = (epoch, loss, adapter) -> {
        };

        /** Epoch {@code epoch} (from 0) has ended with mean training loss {@code loss} over its batches. */
        void epochEnded(int epoch, double loss, Adapter adapter);
    }

    /**
     * One device's local training: its starting sub-adapter, masks, data, settings and random stream, where it
     * stands in the run (for the schedule), who is told as each epoch ends, and the run's memo of the head's
     * inputs where its LoRA factors do not train ({@link FrozenHeadInputs}; the java engine reads it).
     */
    public record Job(Adapter start, List<LoraMask> masks, Dataset data, Settings settings, RandomGenerator random,
                      Progress progress, EpochListener listener, FrozenHeadInputs frozen) {
        public Job(Adapter start, List<LoraMask> masks, Dataset data, Settings settings, RandomGenerator random,
                   Progress progress, EpochListener listener) {
            this(start, masks, data, settings, random, progress, listener, FrozenHeadInputs.NONE);
        }

        public Job(Adapter start, List<LoraMask> masks, Dataset data, Settings settings, RandomGenerator random,
                   Progress progress) {
            this(start, masks, data, settings, random, progress, EpochListener.NONE);
        }

        public Job(Adapter start, List<LoraMask> masks, Dataset data, Settings settings, RandomGenerator random) {
            this(start, masks, data, settings, random, Progress.ALONE);
        }

        /** This job reading the head's inputs from {@code frozen} where it holds them. */
        public Job with(FrozenHeadInputs frozen) {
            return new Job(start, masks, data, settings, random, progress, listener, frozen);
        }
    }

    private LocalTrainer() {
    }

    /**
     * Trains a cohort: devices that start from sub-adapters of the same {@code model} (its frozen weights
     * shared) with settings that differ in epochs at most. On the {@link TrainingEngine#JAVA java engine}
     * they train in lock step, their frozen products stacked into one per step, each with its own masks,
     * parameters, optimizer state and batches (as alone, up to float summation order); on ND4J one after
     * the other. Outcomes in the jobs' order.
     */
    public static List<Outcome> trainTogether(Classifier model, List<Job> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        if (jobs.get(0).settings().engine().resolve(model) == TrainingEngine.JAVA) {
            return DenseTraining.train(model, jobs);
        }
        return jobs.stream().map(job -> train(model, job)).toList();
    }

    public static Outcome train(Classifier model, Adapter start, List<LoraMask> masks, Dataset data, Settings settings,
                                RandomGenerator random) {
        return train(model, start, masks, data, settings, random, Progress.ALONE);
    }

    public static Outcome train(Classifier model, Adapter start, List<LoraMask> masks, Dataset data, Settings settings,
                                RandomGenerator random, Progress progress) {
        return train(model, new Job(start, masks, data, settings, random, progress));
    }

    /** One job alone, its listener told as each epoch ends. */
    public static Outcome train(Classifier model, Job job) {
        Adapter start = job.start();
        List<LoraMask> masks = job.masks();
        Dataset data = job.data();
        Settings settings = job.settings();
        RandomGenerator random = job.random();
        Progress progress = job.progress();
        if (settings.engine().resolve(model) == TrainingEngine.JAVA) {
            return DenseTraining.train(model, List.of(job)).get(0);
        }
        long stepsPerRound = settings.stepsPerRound(data.size());
        long firstStep = progress.round() * stepsPerRound;
        long totalSteps = progress.rounds() * stepsPerRound;
        Adapter adapter = start.copy();
        // Without LoRA training only the head's two arrays (the last two) take steps.
        int skipped = settings.trainLora() ? 0 : 2 * adapter.layers();
        List<INDArray> parameters = adapter.arrays().subList(skipped, 2 * adapter.layers() + 2);
        List<INDArray> decayMasks = decayMasks(model, adapter, masks).subList(skipped, 2 * adapter.layers() + 2);
        List<INDArray> first = new ArrayList<>();
        List<INDArray> second = new ArrayList<>();
        parameters.forEach(p -> {
            first.add(p.like());
            second.add(p.like());
        });
        double beta1 = 0.9;
        double beta2 = 0.999;
        long step = 0;
        double lastLoss = Double.NaN;
        int[] lengths = settings.lengths(model, data);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = settings.epochOrder(data, lengths, random);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += settings.batchSize()) {
                int[] batch = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + settings.batchSize()));
                try (MemoryWorkspace scratch = ScratchMemory.open(ScratchMemory.TRAINING_STEP)) {
                    Dataset part = data.select(batch);
                    Classifier.LossAndGradients result = settings.trainLora()
                            ? model.lossAndGradients(adapter, masks, part.features(), part.labels())
                            : model.headLossAndGradients(adapter, masks, part.features(), part.labels());
                    lossSum += result.loss();
                    batches++;
                    List<INDArray> gradients = result.gradients().arrays().subList(skipped, 2 * adapter.layers() + 2);
                    double clip = settings.maxGradNorm() == 0 ? 1 : clipFactor(
                            gradients.stream().mapToDouble(g -> g.norm2Number().doubleValue()).toArray(), settings.maxGradNorm());
                    double factor = settings.schedule().factor(firstStep + step, totalSteps);
                    step++;
                    for (int i = 0; i < parameters.size(); i++) {
                        INDArray p = parameters.get(i);
                        INDArray g = clip == 1 ? gradients.get(i) : gradients.get(i).mul(clip);
                        boolean head = i + skipped >= 2 * adapter.layers();
                        double rate = (head ? settings.headLearningRate() : settings.learningRate()) * factor;
                        if (settings.optimizer() == Optimizer.SGD) {
                            p.subi(g.mul(rate));
                        } else {
                            first.get(i).muli(beta1).addi(g.mul(1 - beta1));
                            second.get(i).muli(beta2).addi(g.mul(g).muli(1 - beta2));
                            double correction1 = 1 - Math.pow(beta1, step);
                            double correction2 = 1 - Math.pow(beta2, step);
                            INDArray update = first.get(i).div(correction1)
                                    .divi(Transforms.sqrt(second.get(i).div(correction2), false).addi(1e-8));
                            // Decoupled weight decay, masked like the gradient.
                            update.addi(p.mul(decayMasks.get(i)).muli(settings.weightDecay()));
                            p.subi(update.muli(rate));
                        }
                    }
                }
            }
            lastLoss = lossSum / batches;
            job.listener().epochEnded(epoch, lastLoss, adapter);
        }
        return new Outcome(adapter, lastLoss);
    }

    /**
     * Mean cross-entropy and accuracy of {@code model} with {@code adapter} (every entry kept) on {@code data},
     * computed by {@code engine} ({@link Classifier#evaluate} on ND4J).
     */
    public static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, Dataset data, TrainingEngine engine) {
        return evaluate(model, adapter, data, engine, FrozenHeadInputs.NONE);
    }

    /** As {@link #evaluate(Classifier, Adapter, Dataset, TrainingEngine)}, the head's inputs read from {@code frozen} where it holds them. */
    public static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, Dataset data, TrainingEngine engine,
                                                 FrozenHeadInputs frozen) {
        if (engine.resolve(model) == TrainingEngine.JAVA) {
            return DenseTraining.evaluate(model, adapter, model.fullMasks(), data, frozen);
        }
        return model.evaluate(adapter, model.fullMasks(), data.features(), data.labels());
    }

    /**
     * The factor that scales a step's gradients to global L2 norm at most {@code maxNorm}, as PyTorch's
     * {@code clip_grad_norm_}: min(1, maxNorm / (‖g‖ + 1e-6)), ‖g‖ over every trained array ({@code norms}
     * their own norms); 1 when {@code maxNorm} is 0 (off).
     */
    static double clipFactor(double[] norms, double maxNorm) {
        if (maxNorm == 0) {
            return 1;
        }
        double squares = 0;
        for (double norm : norms) {
            squares += norm * norm;
        }
        return Math.min(1, maxNorm / (Math.sqrt(squares) + 1e-6));
    }

    private static List<INDArray> decayMasks(Classifier model, Adapter adapter, List<LoraMask> masks) {
        List<INDArray> list = new ArrayList<>();
        for (int u = 0; u < adapter.layers(); u++) {
            list.add(adapter.a().get(u).like().addi(1).muliRowVector(model.columnMask(masks.get(u))));
            list.add(adapter.b().get(u).like().addi(1).muliColumnVector(model.rowMask(masks.get(u))));
        }
        list.add(adapter.headWeights().like().addi(1));
        list.add(adapter.headBias().like()); // biases are not decayed, as in PEFT recipes
        return list;
    }
}
