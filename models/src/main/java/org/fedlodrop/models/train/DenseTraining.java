package org.fedlodrop.models.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.net.MlpClassifier;
import org.fedlodrop.models.net.TransformerClassifier;
import org.fedlodrop.models.random.Variates;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Local training in plain float32 loops ({@link TrainingEngine#JAVA}): the same batches, masks and
 * optimizer as {@link LocalTrainer} with ND4J, with every array copied out of ND4J once per call and
 * back once at the end, so that a step costs its arithmetic and nothing per operation. The model's
 * forward and backward come from a {@link DenseModel}; the engines differ only in the order of float
 * summation ({@code DenseTrainingTest} holds them within float32 rounding of a float64 ND4J run).
 */
final class DenseTraining {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;

    private DenseTraining() {
    }

    private static DenseModel dense(Classifier model, List<LoraMask> masks, int rank, BlasWorkspace workspace) {
        if (model instanceof MlpClassifier mlp) {
            return new DenseMlp(mlp, masks, rank, workspace);
        } else if (model instanceof TransformerClassifier transformer) {
            return new DenseTransformer(transformer, masks, rank, workspace);
        }
        throw new IllegalArgumentException("the java engine does not train the " + model.family() + " family");
    }

    /**
     * As {@link Classifier#evaluate}: mean cross-entropy (float32 log-softmax, summed in double row by row)
     * and the share of rows whose largest logit (the first, on a tie) is their label, in batches of
     * {@link Classifier#evaluationRows()}.
     */
    static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, List<LoraMask> masks, Dataset data) {
        try (BlasWorkspace workspace = new BlasWorkspace()) {
            return evaluate(model, adapter, masks, data, workspace);
        }
    }

    private static Classifier.Evaluation evaluate(Classifier model, Adapter adapter, List<LoraMask> masks,
                                                  Dataset data, BlasWorkspace workspace) {
        int layers = adapter.layers();
        int rank = (int) adapter.a().get(0).rows();
        float[][] parameters = parameters(adapter);
        float[] weights = parameters[2 * layers];
        float[] bias = parameters[2 * layers + 1];
        int classes = bias.length;
        int m = data.size();
        int batch = Math.min(m, model.evaluationRows());
        DenseModel.Step step = dense(model, masks, rank, workspace).step(batch);
        int width = step.headWidth();
        float[] features = floats(data.features());
        int[] labels = data.labels();
        int[] rows = new int[batch];
        float[] logits = new float[batch * classes];
        double sum = 0;
        int correct = 0;
        for (int start = 0; start < m; start += batch) {
            int size = Math.min(m, start + batch) - start;
            for (int i = 0; i < size; i++) {
                rows[i] = start + i;
            }
            float[] h = step.headInputs(parameters, features, rows, size);
            DenseHead.logits(h, size, width, classes, weights, bias, logits);
            for (int i = 0; i < size; i++) {
                int row = i * classes;
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

    static LocalTrainer.Outcome train(Classifier model, Adapter start, List<LoraMask> masks, Dataset data,
                                      LocalTrainer.Settings settings, RandomGenerator random) {
        try (BlasWorkspace workspace = new BlasWorkspace()) {
            return train(model, start, masks, data, settings, random, workspace);
        }
    }

    private static LocalTrainer.Outcome train(Classifier model, Adapter start, List<LoraMask> masks, Dataset data,
                                              LocalTrainer.Settings settings, RandomGenerator random,
                                              BlasWorkspace workspace) {
        int rank = (int) start.a().get(0).rows();
        DenseModel dense = dense(model, masks, rank, workspace);
        int layers = start.layers();
        int count = 2 * layers + 2;
        float[][] parameters = parameters(start);
        float[][] decay = decayMasks(masks, rank, start);
        int first = settings.trainLora() ? 0 : 2 * layers;
        float[][] firstMoment = new float[count][];
        float[][] secondMoment = new float[count][];
        for (int i = first; i < count; i++) {
            firstMoment[i] = new float[parameters[i].length];
            secondMoment[i] = new float[parameters[i].length];
        }
        float[] features = floats(data.features());
        int[] labels = data.labels();
        DenseModel.Step step = dense.step(Math.min(settings.batchSize(), data.size()));
        int[] rows = new int[settings.batchSize()];
        int[] batchLabels = new int[settings.batchSize()];
        float lr = (float) settings.learningRate();
        float weightDecay = (float) settings.weightDecay();
        long steps = 0;
        double lastLoss = Double.NaN;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = Variates.permutation(data.size(), random);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += settings.batchSize()) {
                int m = Math.min(order.length, from + settings.batchSize()) - from;
                for (int i = 0; i < m; i++) {
                    rows[i] = order[from + i];
                    batchLabels[i] = labels[rows[i]];
                }
                lossSum += step.lossAndGradients(parameters, features, rows, m, batchLabels, settings.trainLora());
                batches++;
                steps++;
                float[][] gradients = step.gradients();
                for (int i = first; i < count; i++) {
                    if (settings.optimizer() == LocalTrainer.Optimizer.SGD) {
                        float[] p = parameters[i];
                        float[] g = gradients[i];
                        for (int e = 0; e < p.length; e++) {
                            p[e] -= g[e] * lr;
                        }
                    } else {
                        adamW(parameters[i], gradients[i], firstMoment[i], secondMoment[i], decay[i], steps, lr, weightDecay);
                    }
                }
            }
            lastLoss = lossSum / batches;
        }
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < layers; u++) {
            a.add(array(parameters[2 * u], start.a().get(u)));
            b.add(array(parameters[2 * u + 1], start.b().get(u)));
        }
        Adapter trained = new Adapter(a, b, array(parameters[2 * layers], start.headWeights()),
                array(parameters[2 * layers + 1], start.headBias()));
        return new LocalTrainer.Outcome(trained, lastLoss);
    }

    /** An adapter's arrays as float32 rows, in {@link Adapter#arrays()} order. */
    private static float[][] parameters(Adapter adapter) {
        return adapter.arrays().stream().map(DenseTraining::floats).toArray(float[][]::new);
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

    /** 1 where weight decay applies: kept columns of A, kept rows of B, the whole head. */
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
        decay[2 * layers + 1] = ones((int) start.headBias().length());
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
    static float[] floats(INDArray array) {
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
