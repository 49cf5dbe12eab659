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
     * LoRA factors train ({@code false}: the head alone, the frozen model's baseline), and the engine
     * that runs the arithmetic.
     */
    public record Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay,
                           boolean trainLora, TrainingEngine engine) {
        public Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay,
                        boolean trainLora) {
            this(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, TrainingEngine.AUTO);
        }

        public Settings(int epochs, int batchSize, double learningRate, Optimizer optimizer, double weightDecay) {
            this(epochs, batchSize, learningRate, optimizer, weightDecay, true);
        }

        /** The same settings for E = {@code epochs} (a device class's own local epochs). */
        public Settings withEpochs(int epochs) {
            return new Settings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine);
        }

        /** The same settings run by {@code engine}. */
        public Settings withEngine(TrainingEngine engine) {
            return new Settings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLora, engine);
        }
    }

    /** The trained adapter and the mean training loss of the last epoch. */
    public record Outcome(Adapter adapter, double lastEpochLoss) {
    }

    /** One device's local training: its starting sub-adapter, masks, data, settings and random stream. */
    public record Job(Adapter start, List<LoraMask> masks, Dataset data, Settings settings, RandomGenerator random) {
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
        return jobs.stream().map(job -> train(model, job.start(), job.masks(), job.data(), job.settings(), job.random()))
                .toList();
    }

    public static Outcome train(Classifier model, Adapter start, List<LoraMask> masks, Dataset data, Settings settings,
                                RandomGenerator random) {
        if (settings.engine().resolve(model) == TrainingEngine.JAVA) {
            return DenseTraining.train(model, List.of(new Job(start, masks, data, settings, random))).get(0);
        }
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
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = Variates.permutation(data.size(), random);
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
                    step++;
                    for (int i = 0; i < parameters.size(); i++) {
                        INDArray p = parameters.get(i);
                        INDArray g = gradients.get(i);
                        if (settings.optimizer() == Optimizer.SGD) {
                            p.subi(g.mul(settings.learningRate()));
                        } else {
                            first.get(i).muli(beta1).addi(g.mul(1 - beta1));
                            second.get(i).muli(beta2).addi(g.mul(g).muli(1 - beta2));
                            double correction1 = 1 - Math.pow(beta1, step);
                            double correction2 = 1 - Math.pow(beta2, step);
                            INDArray update = first.get(i).div(correction1)
                                    .divi(Transforms.sqrt(second.get(i).div(correction2), false).addi(1e-8));
                            // Decoupled weight decay, masked like the gradient.
                            update.addi(p.mul(decayMasks.get(i)).muli(settings.weightDecay()));
                            p.subi(update.muli(settings.learningRate()));
                        }
                    }
                }
            }
            lastLoss = lossSum / batches;
        }
        return new Outcome(adapter, lastLoss);
    }

    /**
     * Mean cross-entropy and accuracy of {@code model} with {@code adapter} (every entry kept) on {@code data},
     * computed by {@code engine} ({@link Classifier#evaluate} on ND4J).
     */
    public static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, Dataset data, TrainingEngine engine) {
        if (engine.resolve(model) == TrainingEngine.JAVA) {
            return DenseTraining.evaluate(model, adapter, model.fullMasks(), data);
        }
        return model.evaluate(adapter, model.fullMasks(), data.features(), data.labels());
    }

    private static List<INDArray> decayMasks(Classifier model, Adapter adapter, List<LoraMask> masks) {
        List<INDArray> list = new ArrayList<>();
        for (int u = 0; u < adapter.layers(); u++) {
            list.add(adapter.a().get(u).like().addi(1).muliRowVector(model.columnMask(masks.get(u))));
            list.add(adapter.b().get(u).like().addi(1).muliColumnVector(model.rowMask(masks.get(u))));
        }
        list.add(adapter.headWeights().like().addi(1));
        list.add(adapter.headBias().like().addi(1));
        return list;
    }
}
