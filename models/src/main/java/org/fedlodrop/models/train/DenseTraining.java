package org.fedlodrop.models.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.random.Variates;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Local training on the {@link TrainingEngine#JAVA java engine}: the same batches, masks and optimizer as
 * {@link LocalTrainer} with ND4J, with every array copied out of ND4J once per call and back once at the
 * end, element-wise work in Java loops and matrix products in OpenBLAS, so that a step costs its
 * arithmetic and nothing per operation. The model's forward and backward come from a {@link DenseModel};
 * the engines differ only in the order of float summation ({@code DenseTrainingTest} holds them within
 * float32 rounding of a float64 ND4J run).
 *
 * <p>A cohort, devices that train sub-adapters of the same model in the same round, trains in lock step:
 * step s of every member that still has one runs as one step, its frozen products over all their
 * samples at once, each member's LoRA terms, head and optimizer on its own ({@link DenseModel}). Each
 * member draws its batches from its own random stream exactly as it would alone, so a member's result
 * differs from training it alone only by float summation order in the stacked products
 * ({@code CohortTrainingTest}).
 */
public final class DenseTraining {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;

    private DenseTraining() {
    }

    private static DenseModel dense(Classifier model, List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        if (model instanceof DenseTrainable trainable) {
            return trainable.dense(masks, rank, workspace);
        }
        throw new IllegalArgumentException("the java engine does not train the " + model.family() + " family");
    }

    /**
     * As {@link Classifier#evaluate}: mean cross-entropy (float32 log-softmax, summed in double row by row)
     * and the share of rows whose largest logit (the first, on a tie) is their label, in batches of
     * {@link Classifier#evaluationRows()}; the head's inputs read from {@code frozen} where it holds them.
     */
    static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, List<LoraMask> masks, Dataset data,
                                          FrozenHeadInputs frozen) {
        try (BlasWorkspace workspace = new BlasWorkspace()) {
            float[] h = frozen.rows(model, adapter, data);
            return evaluate(model, adapter, data, h != null ? h : headInputRows(model, adapter, masks, data, workspace),
                    workspace);
        }
    }

    /**
     * Row i (of the head's input width) the head's input for sample i of {@code data}: the forward pass in
     * batches of {@link Classifier#evaluationRows()}, in order.
     */
    static float[] headInputRows(Classifier model, Adapter adapter, List<LoraMask> masks, Dataset data) {
        try (BlasWorkspace workspace = new BlasWorkspace()) {
            return headInputRows(model, adapter, masks, data, workspace);
        }
    }

    private static float[] headInputRows(Classifier model, Adapter adapter, List<LoraMask> masks, Dataset data,
                                         BlasWorkspace workspace) {
        int rank = (int) adapter.a().get(0).rows();
        float[][][] parameters = {parameters(adapter)};
        int m = data.size();
        int batch = Math.max(1, Math.min(m, model.evaluationRows()));
        DenseModel.Step step = dense(model, List.of(masks), rank, workspace).step(batch);
        int width = step.headWidth();
        float[][] features = {floats(data.features())};
        int[] labels = data.labels();
        int[] rows = new int[batch];
        float[] inputs = new float[m * width];
        for (int start = 0; start < m; start += batch) {
            int size = Math.min(m, start + batch) - start;
            for (int i = 0; i < size; i++) {
                rows[i] = start + i;
            }
            StepBatch part = new StepBatch(new int[] {0}, new int[] {0, size}, features, new int[][] {rows},
                    new int[][] {labels});
            System.arraycopy(step.headInputs(part, parameters), 0, inputs, start * width, size * width);
        }
        return inputs;
    }

    /** The head on the head's inputs {@code h} (row i for sample i of {@code data}), batch by batch. */
    private static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, Dataset data, float[] h,
                                                  BlasWorkspace workspace) {
        float[] weights = floats(adapter.headWeights());
        float[] bias = floats(adapter.headBias());
        int classes = bias.length;
        int m = data.size();
        int width = m == 0 ? 0 : h.length / m;
        int batch = Math.max(1, Math.min(m, model.evaluationRows()));
        int[] labels = data.labels();
        float[] logits = new float[m * classes];
        double sum = 0;
        int correct = 0;
        for (int start = 0; start < m; start += batch) {
            int size = Math.min(m, start + batch) - start;
            DenseHead.logits(workspace, h, start, size, width, classes, weights, bias, logits);
            for (int i = 0; i < size; i++) {
                int row = (start + i) * classes;
                float max = Float.NEGATIVE_INFINITY;
                int predicted = 0;
                for (int c = 0; c < classes; c++) {
                    if (logits[row + c] > max) {
                        max = logits[row + c];
                        predicted = c;
                    }
                }
                float total = 0;
                for (int c = 0; c < classes; c++) {
                    total += (float) Math.exp(logits[row + c] - max);
                }
                sum -= logits[row + labels[start + i]] - max - (float) Math.log(total);
                correct += predicted == labels[start + i] ? 1 : 0;
            }
        }
        return new Classifier.Evaluation(sum / m, correct / (double) m);
    }

    /**
     * Trains every job of a cohort on {@code model}; the jobs may differ in epochs, data, masks, starting
     * adapter and random stream, and share everything else of their settings.
     */
    static List<LocalTrainer.Outcome> train(Classifier model, List<LocalTrainer.Job> jobs) {
        try (BlasWorkspace workspace = new BlasWorkspace()) {
            return train(model, jobs, workspace);
        }
    }

    /** One member's progress through its epochs and batches. */
    private static final class Member {
        final LocalTrainer.Job job;
        final float[][] parameters;
        final float[][] decay;
        final float[][] firstMoment;
        final float[][] secondMoment;
        final float[] features;
        final int[] labels;
        final long firstStep;
        final long totalSteps;
        int epoch;
        int[] order;
        int from;
        long steps;
        double lossSum;
        int batches;
        double lastLoss = Double.NaN;

        final int[] lengths;

        Member(Classifier model, LocalTrainer.Job job, int rank, int first) {
            this.lengths = job.settings().lengths(model, job.data());
            this.job = job;
            parameters = parameters(job.start());
            decay = decayMasks(job.masks(), rank, job.start());
            int count = parameters.length;
            firstMoment = new float[count][];
            secondMoment = new float[count][];
            for (int i = first; i < count; i++) {
                firstMoment[i] = new float[parameters[i].length];
                secondMoment[i] = new float[parameters[i].length];
            }
            features = floats(job.data().features());
            labels = job.data().labels();
            long stepsPerRound = job.settings().stepsPerRound(job.data().size());
            firstStep = job.progress().round() * stepsPerRound;
            totalSteps = job.progress().rounds() * stepsPerRound;
            startEpoch();
        }

        boolean training() {
            return epoch < job.settings().epochs();
        }

        /** Draws the epoch's order; epochs over no samples end at once, as they do alone. */
        private void startEpoch() {
            while (training()) {
                order = job.settings().epochOrder(job.data(), lengths, job.random());
                from = 0;
                lossSum = 0;
                batches = 0;
                if (order.length > 0) {
                    return;
                }
                endEpoch();
            }
        }

        private void endEpoch() {
            lastLoss = lossSum / batches;
            if (job.listener() != LocalTrainer.EpochListener.NONE) {
                job.listener().epochEnded(epoch, lastLoss, adapter());
            }
            epoch++;
        }

        /** The parameters as they stand, as an adapter of the starting one's shapes. */
        Adapter adapter() {
            Adapter start = job.start();
            int layers = start.layers();
            List<INDArray> a = new ArrayList<>();
            List<INDArray> b = new ArrayList<>();
            for (int u = 0; u < layers; u++) {
                a.add(array(parameters[2 * u], start.a().get(u)));
                b.add(array(parameters[2 * u + 1], start.b().get(u)));
            }
            return new Adapter(a, b, array(parameters[2 * layers], start.headWeights()),
                    array(parameters[2 * layers + 1], start.headBias()));
        }

        int batchRows() {
            return Math.min(order.length, from + job.settings().batchSize()) - from;
        }

        /** After a step over {@link #batchRows()} samples with this loss. */
        void advance(double loss) {
            lossSum += loss;
            batches++;
            from += job.settings().batchSize();
            if (from >= order.length) {
                endEpoch();
                startEpoch();
            }
        }
    }

    private static List<LocalTrainer.Outcome> train(Classifier model, List<LocalTrainer.Job> jobs,
                                                    BlasWorkspace workspace) {
        LocalTrainer.Settings settings = jobs.get(0).settings();
        for (LocalTrainer.Job job : jobs) {
            if (!job.settings().withEpochs(settings.epochs()).equals(settings)) {
                throw new IllegalArgumentException("a cohort's jobs may differ in epochs only, not in "
                        + job.settings() + " against " + settings);
            }
        }
        Adapter shape = jobs.get(0).start();
        int rank = (int) shape.a().get(0).rows();
        int layers = shape.layers();
        int count = 2 * layers + 2;
        int first = settings.trainLora() ? 0 : 2 * layers;
        List<Member> members = new ArrayList<>();
        int most = 0;
        for (LocalTrainer.Job job : jobs) {
            members.add(new Member(model, job, rank, first));
            most += Math.min(settings.batchSize(), job.data().size());
        }
        float[][] frozenRows = settings.trainLora() ? null : frozenRows(model, jobs);
        Pass pass = frozenRows != null
                ? new HeadOnFrozenRows(workspace, frozenRows, layers, (int) shape.headBias().length(),
                        (int) (shape.headWeights().length() / shape.headBias().length()), Math.max(1, most))
                : new WholePass(dense(model, jobs.stream().map(LocalTrainer.Job::masks).toList(), rank, workspace)
                        .step(Math.max(1, most)), settings.trainLora());
        float[][][] parameters = members.stream().map(member -> member.parameters).toArray(float[][][]::new);
        float weightDecay = (float) settings.weightDecay();
        double[] losses = new double[jobs.size()];
        while (true) {
            StepBatch batch = nextBatch(members);
            if (batch.size() == 0) {
                break;
            }
            pass.lossAndGradients(batch, parameters, losses);
            for (int i = 0; i < batch.size(); i++) {
                int d = batch.members()[i];
                Member member = members.get(d);
                double factor = settings.schedule().factor(member.firstStep + member.steps, member.totalSteps);
                member.steps++;
                float[][] gradients = pass.gradients(d);
                clip(gradients, first, count, settings.maxGradNorm());
                float lr = (float) (settings.learningRate() * factor);
                float headLr = (float) (settings.headLearningRate() * factor);
                for (int p = first; p < count; p++) {
                    float rate = p >= 2 * layers ? headLr : lr;
                    if (settings.optimizer() == LocalTrainer.Optimizer.SGD) {
                        float[] values = member.parameters[p];
                        float[] g = gradients[p];
                        for (int e = 0; e < values.length; e++) {
                            values[e] -= g[e] * rate;
                        }
                    } else {
                        adamW(member.parameters[p], gradients[p], member.firstMoment[p], member.secondMoment[p],
                                member.decay[p], member.steps, rate, weightDecay);
                    }
                }
                member.advance(losses[i]);
            }
        }
        List<LocalTrainer.Outcome> outcomes = new ArrayList<>();
        for (Member member : members) {
            outcomes.add(new LocalTrainer.Outcome(member.adapter(), member.lastLoss));
        }
        return outcomes;
    }

    /** One training step's losses and gradients, however they are computed. */
    private interface Pass {
        void lossAndGradients(StepBatch batch, float[][][] parameters, double[] losses);

        float[][] gradients(int member);
    }

    /** The model's forward and backward ({@link DenseModel.Step}). */
    private record WholePass(DenseModel.Step step, boolean trainLora) implements Pass {
        @Override
        public void lossAndGradients(StepBatch batch, float[][][] parameters, double[] losses) {
            step.lossAndGradients(batch, parameters, trainLora, losses);
        }

        @Override
        public float[][] gradients(int member) {
            return step.gradients(member);
        }
    }

    /**
     * The head alone on the head's inputs kept in a {@link FrozenHeadInputs}: what {@link DenseModel.Step} computes
     * when the LoRA factors do not train, without the forward pass below the head. Only the head's gradients
     * (the last two arrays of a member) exist.
     */
    private static final class HeadOnFrozenRows implements Pass {
        private final BlasWorkspace workspace;
        private final float[][] rows;
        private final int head;
        private final int classes;
        private final int width;
        private final float[] inputs;
        private final float[] logits;
        private final float[][][] gradients;

        HeadOnFrozenRows(BlasWorkspace workspace, float[][] rows, int layers, int classes, int width, int samples) {
            this.workspace = workspace;
            this.rows = rows;
            this.head = 2 * layers;
            this.classes = classes;
            this.width = width;
            this.inputs = new float[samples * width];
            this.logits = new float[samples * classes];
            this.gradients = new float[rows.length][head + 2][];
            for (float[][] member : gradients) {
                member[head] = new float[classes * width];
                member[head + 1] = new float[classes];
            }
        }

        @Override
        public void lossAndGradients(StepBatch batch, float[][][] parameters, double[] losses) {
            for (int i = 0; i < batch.size(); i++) {
                float[] kept = rows[batch.members()[i]];
                int[] samples = batch.rows()[i];
                for (int k = 0; k < batch.size(i); k++) {
                    System.arraycopy(kept, samples[k] * width, inputs, (batch.starts()[i] + k) * width, width);
                }
            }
            DenseHead.lossesAndGradients(workspace, batch, inputs, width, classes, parameters, head, logits, gradients,
                    losses);
        }

        @Override
        public float[][] gradients(int member) {
            return gradients[member];
        }
    }

    /** Every job's head inputs from its memo, or null unless every job's memo holds them. */
    private static float[][] frozenRows(Classifier model, List<LocalTrainer.Job> jobs) {
        float[][] rows = new float[jobs.size()][];
        for (int d = 0; d < jobs.size(); d++) {
            LocalTrainer.Job job = jobs.get(d);
            rows[d] = job.frozen().rows(model, job.start(), job.data());
            if (rows[d] == null) {
                return null;
            }
        }
        return rows;
    }

    /** The next batch of every member still training, stacked in cohort order. */
    private static StepBatch nextBatch(List<Member> members) {
        int taking = 0;
        for (Member member : members) {
            taking += member.training() ? 1 : 0;
        }
        int[] indices = new int[taking];
        int[] starts = new int[taking + 1];
        float[][] features = new float[taking][];
        int[][] rows = new int[taking][];
        int[][] labels = new int[taking][];
        int i = 0;
        for (int d = 0; d < members.size(); d++) {
            Member member = members.get(d);
            if (!member.training()) {
                continue;
            }
            int m = member.batchRows();
            indices[i] = d;
            starts[i + 1] = starts[i] + m;
            features[i] = member.features;
            rows[i] = Arrays.copyOfRange(member.order, member.from, member.from + m);
            labels[i] = new int[m];
            for (int r = 0; r < m; r++) {
                labels[i][r] = member.labels[rows[i][r]];
            }
            i++;
        }
        return new StepBatch(indices, starts, features, rows, labels);
    }

    /** An adapter's arrays as float32 rows, in {@link Adapter#arrays()} order. */
    private static float[][] parameters(Adapter adapter) {
        return adapter.arrays().stream().map(DenseTraining::floats).toArray(float[][]::new);
    }

    /** Scales arrays {@code first} to {@code count - 1} of a step's gradients by {@link LocalTrainer#clipFactor}. */
    private static void clip(float[][] gradients, int first, int count, double maxNorm) {
        if (maxNorm == 0) {
            return;
        }
        double[] norms = new double[count - first];
        for (int p = first; p < count; p++) {
            double sum = 0;
            for (float g : gradients[p]) {
                sum += (double) g * g;
            }
            norms[p - first] = Math.sqrt(sum);
        }
        float factor = (float) LocalTrainer.clipFactor(norms, maxNorm);
        if (factor == 1) {
            return;
        }
        for (int p = first; p < count; p++) {
            float[] g = gradients[p];
            for (int e = 0; e < g.length; e++) {
                g[e] *= factor;
            }
        }
    }

    /** AdamW as {@link LocalTrainer} writes it: bias-corrected moments, ε = 1e-8, decoupled masked weight decay. */
    private static void adamW(float[] p, float[] g, float[] m, float[] v, float[] decay, long step, float lr,
                              float weightDecay) {
        float correction1 = (float) (1 - Math.pow(BETA1, step));
        float correction2 = (float) (1 - Math.pow(BETA2, step));
        for (int e = 0; e < p.length; e++) {
            m[e] = m[e] * BETA1 + g[e] * (1 - BETA1);
            v[e] = v[e] * BETA2 + g[e] * g[e] * (1 - BETA2);
            float update = m[e] / correction1 / ((float) Math.sqrt(v[e] / correction2) + 1e-8f);
            update += p[e] * decay[e] * weightDecay;
            p[e] -= update * lr;
        }
    }

    /** 1 where weight decay applies: kept columns of A, kept rows of B, the head's weights (not its bias). */
    private static float[][] decayMasks(List<LoraMask> masks, int rank, Adapter start) {
        int layers = masks.size();
        float[][] decay = new float[2 * layers + 2][];
        for (int u = 0; u < layers; u++) {
            boolean[] columns = masks.get(u).columns();
            boolean[] rows = masks.get(u).rows();
            decay[2 * u] = new float[rank * columns.length];
            decay[2 * u + 1] = new float[rows.length * rank];
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < columns.length; k++) {
                    decay[2 * u][q * columns.length + k] = columns[k] ? 1 : 0;
                }
            }
            for (int j = 0; j < rows.length; j++) {
                Arrays.fill(decay[2 * u + 1], j * rank, (j + 1) * rank, rows[j] ? 1 : 0);
            }
        }
        decay[2 * layers] = ones((int) start.headWeights().length());
        decay[2 * layers + 1] = new float[(int) start.headBias().length()]; // biases are not decayed
        return decay;
    }

    /** A mask as 0s and 1s. */
    static float[] mask(boolean[] kept) {
        float[] mask = new float[kept.length];
        for (int i = 0; i < kept.length; i++) {
            mask[i] = kept[i] ? 1 : 0;
        }
        return mask;
    }

    /**
     * The entries of an array in row-major order. A float32 array that owns its whole buffer in that
     * order is copied in bulk from its native memory (ND4J's element-wise {@code asFloat} costs about 6 ns
     * an entry, and a NIO view of the buffer about 0.5 µs to make, which per call outweighed a 10-row
     * step); anything else is first made so.
     */
    public static float[] floats(INDArray array) {
        INDArray dense = array.dataType() == DataType.FLOAT && array.ordering() == 'c' && !array.isView()
                && array.offset() == 0 && array.data().length() == array.length()
                ? array : array.castTo(DataType.FLOAT).dup('c');
        float[] values = new float[Math.toIntExact(dense.length())];
        Pointer address = dense.data().addressPointer();
        (address instanceof FloatPointer floats ? floats : new FloatPointer(address)).get(values, 0, values.length);
        return values;
    }

    private static INDArray array(float[] values, INDArray like) {
        return Nd4j.create(values, like.shape(), 'c');
    }

    private static float[] ones(int length) {
        float[] values = new float[length];
        Arrays.fill(values, 1);
        return values;
    }
}
