package org.fedlodrop.models.train;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.MlpClassifier;
import org.fedlodrop.models.random.Variates;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Local training of the {@code mlp} family in plain float32 loops ({@link TrainingEngine#JAVA}): the
 * same model, batches, masks and optimizer as {@link LocalTrainer} with ND4J, with every array copied
 * out of ND4J once per call and back once at the end, so a step costs its arithmetic and nothing per
 * operation. Forward: h = tanh(x W0ᵀ + s (x Âᵀ) B̂ᵀ) per layer (docs/model.md eqs. 1–2), then the head;
 * backward as in {@link LoraLayer#backward}. It differs from the ND4J engine only in the order of float
 * summation ({@code DenseMlpTrainingTest} holds them within float32 rounding of a float64 ND4J run).
 */
final class DenseMlpTraining {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;

    private final int layers;
    private final int rank;
    private final int[] inputs;
    private final int[] outputs;
    private final float[] scales;
    private final float[][] frozen;
    private final float[][] frozenTransposed;
    private final float[][] columnMasks;
    private final float[][] rowMasks;
    private final int classes;
    private final int hidden;

    private DenseMlpTraining(MlpClassifier model, List<LoraMask> masks, int rank) {
        this.layers = model.layers().size();
        this.rank = rank;
        this.classes = model.classes();
        inputs = new int[layers];
        outputs = new int[layers];
        scales = new float[layers];
        frozen = new float[layers][];
        frozenTransposed = new float[layers][];
        columnMasks = new float[layers][];
        rowMasks = new float[layers][];
        for (int u = 0; u < layers; u++) {
            LoraLayer layer = model.layers().get(u);
            outputs[u] = layer.rows();
            inputs[u] = layer.columns();
            scales[u] = (float) layer.scale();
            frozen[u] = floats(layer.frozen());
            frozenTransposed[u] = RowMajorProducts.transpose(frozen[u], outputs[u], inputs[u]);
            columnMasks[u] = ones(masks.get(u).columns());
            rowMasks[u] = ones(masks.get(u).rows());
        }
        hidden = outputs[layers - 1];
    }

    static LocalTrainer.Outcome train(MlpClassifier model, Adapter start, List<LoraMask> masks, Dataset data,
                                      LocalTrainer.Settings settings, RandomGenerator random) {
        int rank = (int) start.a().get(0).rows();
        return new DenseMlpTraining(model, masks, rank).run(start, data, settings, random);
    }

    /** Parameters in {@link LocalTrainer#parameters} order (A_u, B_u per layer, head weights, head bias), with their state. */
    private LocalTrainer.Outcome run(Adapter start, Dataset data, LocalTrainer.Settings settings, RandomGenerator random) {
        int count = 2 * layers + 2;
        float[][] parameters = new float[count][];
        for (int u = 0; u < layers; u++) {
            parameters[2 * u] = floats(start.a().get(u));
            parameters[2 * u + 1] = floats(start.b().get(u));
        }
        parameters[2 * layers] = floats(start.headWeights());
        parameters[2 * layers + 1] = floats(start.headBias());
        float[][] decay = new float[count][];
        for (int u = 0; u < layers; u++) {
            decay[2 * u] = new float[rank * inputs[u]];
            decay[2 * u + 1] = new float[outputs[u] * rank];
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < inputs[u]; k++) {
                    decay[2 * u][q * inputs[u] + k] = columnMasks[u][k];
                }
            }
            for (int j = 0; j < outputs[u]; j++) {
                for (int q = 0; q < rank; q++) {
                    decay[2 * u + 1][j * rank + q] = rowMasks[u][j];
                }
            }
        }
        decay[2 * layers] = filled(classes * hidden);
        decay[2 * layers + 1] = filled(classes);
        int first = settings.trainLora() ? 0 : 2 * layers;
        float[][] firstMoment = new float[count][];
        float[][] secondMoment = new float[count][];
        for (int i = first; i < count; i++) {
            firstMoment[i] = new float[parameters[i].length];
            secondMoment[i] = new float[parameters[i].length];
        }
        float[] features = floats(data.features());
        int[] labels = data.labels();
        int width = inputs[0];
        Step step = new Step(Math.min(settings.batchSize(), data.size()));
        long steps = 0;
        double lastLoss = Double.NaN;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = Variates.permutation(data.size(), random);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += settings.batchSize()) {
                int m = Math.min(order.length, from + settings.batchSize()) - from;
                int[] batchLabels = new int[m];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(features, order[from + i] * width, step.activations[0], i * width, width);
                    batchLabels[i] = labels[order[from + i]];
                }
                lossSum += step.lossAndGradients(parameters, batchLabels, m, settings.trainLora());
                batches++;
                steps++;
                float lr = (float) settings.learningRate();
                for (int i = first; i < count; i++) {
                    float[] p = parameters[i];
                    float[] g = step.gradients[i];
                    if (settings.optimizer() == LocalTrainer.Optimizer.SGD) {
                        for (int e = 0; e < p.length; e++) {
                            p[e] -= g[e] * lr;
                        }
                    } else {
                        adamW(p, g, firstMoment[i], secondMoment[i], decay[i], steps, lr, (float) settings.weightDecay());
                    }
                }
            }
            lastLoss = lossSum / batches;
        }
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < layers; u++) {
            a.add(array(parameters[2 * u], rank, inputs[u]));
            b.add(array(parameters[2 * u + 1], outputs[u], rank));
        }
        Adapter trained = new Adapter(a, b, array(parameters[2 * layers], classes, hidden),
                array(parameters[2 * layers + 1], 1, classes));
        return new LocalTrainer.Outcome(trained, lastLoss);
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

    /** The buffers of one step, sized for the largest batch and reused by every step. */
    private final class Step {
        /** activations[0] is the batch's input; activations[u + 1] the output of layer u after tanh. */
        final float[][] activations = new float[layers + 1][];
        final float[][] projected = new float[layers][];
        final float[][] maskedA = new float[layers][];
        final float[][] scaledB = new float[layers][];
        final float[][] scaledBTransposed = new float[layers][];
        final float[][] gradients = new float[2 * layers + 2][];
        final float[] logits;
        final float[][] backward = new float[layers + 1][];
        final float[] projectedGradient;

        Step(int batch) {
            activations[0] = new float[batch * inputs[0]];
            backward[0] = new float[batch * inputs[0]];
            for (int u = 0; u < layers; u++) {
                activations[u + 1] = new float[batch * outputs[u]];
                backward[u + 1] = new float[batch * outputs[u]];
                projected[u] = new float[batch * rank];
                maskedA[u] = new float[rank * inputs[u]];
                scaledB[u] = new float[outputs[u] * rank];
                scaledBTransposed[u] = new float[rank * outputs[u]];
                gradients[2 * u] = new float[rank * inputs[u]];
                gradients[2 * u + 1] = new float[outputs[u] * rank];
            }
            gradients[2 * layers] = new float[classes * hidden];
            gradients[2 * layers + 1] = new float[classes];
            logits = new float[batch * classes];
            projectedGradient = new float[batch * rank];
        }

        /** Forward and backward of m rows held in activations[0]; returns the batch's mean cross-entropy. */
        double lossAndGradients(float[][] parameters, int[] labels, int m, boolean trainLora) {
            for (int u = 0; u < layers; u++) {
                forward(u, parameters[2 * u], parameters[2 * u + 1], m);
            }
            float[] h = activations[layers];
            float[] headWeights = parameters[2 * layers];
            float[] headBias = parameters[2 * layers + 1];
            RowMajorProducts.productTransposed(logits, h, headWeights, m, hidden, classes);
            double loss = 0;
            for (int i = 0; i < m; i++) {
                int row = i * classes;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    logits[row + c] += headBias[c];
                    max = Math.max(max, logits[row + c]);
                }
                float sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += (float) Math.exp(logits[row + c] - max);
                }
                float logSum = (float) Math.log(sum);
                loss -= logits[row + labels[i]] - max - logSum;
                // dLoss/dlogits = (softmax − one-hot) / m, written over the logits.
                for (int c = 0; c < classes; c++) {
                    float probability = (float) Math.exp(logits[row + c] - max - logSum);
                    logits[row + c] = (probability - (c == labels[i] ? 1 : 0)) / m;
                }
            }
            float[] dHeadWeights = gradients[2 * layers];
            java.util.Arrays.fill(dHeadWeights, 0);
            RowMajorProducts.addTransposedProduct(dHeadWeights, logits, h, m, classes, hidden);
            float[] dHeadBias = gradients[2 * layers + 1];
            java.util.Arrays.fill(dHeadBias, 0);
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < classes; c++) {
                    dHeadBias[c] += logits[i * classes + c];
                }
            }
            if (trainLora) {
                float[] dh = backward[layers];
                java.util.Arrays.fill(dh, 0, m * hidden, 0);
                RowMajorProducts.addProduct(dh, logits, headWeights, m, classes, hidden);
                for (int u = layers - 1; u >= 0; u--) {
                    backward(u, m);
                }
            }
            return loss / m;
        }

        /** activations[u + 1] = tanh(x W0ᵀ + s (x Âᵀ) B̂ᵀ) for x = activations[u]. */
        private void forward(int u, float[] a, float[] b, int m) {
            int n1 = outputs[u];
            int n2 = inputs[u];
            float s = scales[u];
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < n2; k++) {
                    maskedA[u][q * n2 + k] = a[q * n2 + k] * columnMasks[u][k];
                }
            }
            for (int j = 0; j < n1; j++) {
                for (int q = 0; q < rank; q++) {
                    float value = b[j * rank + q] * rowMasks[u][j] * s;
                    scaledB[u][j * rank + q] = value;
                    scaledBTransposed[u][q * n1 + j] = value;
                }
            }
            float[] x = activations[u];
            float[] y = activations[u + 1];
            RowMajorProducts.productTransposed(projected[u], x, maskedA[u], m, n2, rank);
            java.util.Arrays.fill(y, 0, m * n1, 0);
            RowMajorProducts.addProduct(y, x, frozenTransposed[u], m, n2, n1);
            RowMajorProducts.addProduct(y, projected[u], scaledBTransposed[u], m, rank, n1);
            for (int e = 0; e < m * n1; e++) {
                y[e] = (float) Math.tanh(y[e]);
            }
        }

        /**
         * From dh = backward[u + 1] (the gradient of layer u's output): dz = dh (1 − h²);
         * dB̂ = s dzᵀ P, dP = s dz B̂, dÂ = dPᵀ x, masked; dx = dz W0 + dP Â into backward[u].
         */
        private void backward(int u, int m) {
            int n1 = outputs[u];
            int n2 = inputs[u];
            float[] dz = backward[u + 1];
            float[] h = activations[u + 1];
            for (int e = 0; e < m * n1; e++) {
                dz[e] *= 1 - h[e] * h[e];
            }
            float[] dB = gradients[2 * u + 1];
            java.util.Arrays.fill(dB, 0);
            RowMajorProducts.addTransposedProduct(dB, dz, projected[u], m, n1, rank);
            float s = scales[u];
            for (int j = 0; j < n1; j++) {
                for (int q = 0; q < rank; q++) {
                    dB[j * rank + q] *= s * rowMasks[u][j];
                }
            }
            java.util.Arrays.fill(projectedGradient, 0);
            RowMajorProducts.addProduct(projectedGradient, dz, scaledB[u], m, n1, rank);
            float[] dA = gradients[2 * u];
            java.util.Arrays.fill(dA, 0);
            RowMajorProducts.addTransposedProduct(dA, projectedGradient, activations[u], m, rank, n2);
            for (int q = 0; q < rank; q++) {
                for (int k = 0; k < n2; k++) {
                    dA[q * n2 + k] *= columnMasks[u][k];
                }
            }
            if (u > 0) {
                float[] dx = backward[u];
                java.util.Arrays.fill(dx, 0, m * n2, 0);
                RowMajorProducts.addProduct(dx, dz, frozen[u], m, n1, n2);
                RowMajorProducts.addProduct(dx, projectedGradient, maskedA[u], m, rank, n2);
            }
        }
    }

    /**
     * The entries of an array in row-major order. A float32 array that owns its whole buffer in that
     * order is copied in bulk (ND4J's element-wise {@code asFloat} costs about 6 ns an entry, which per
     * call outweighed a 10-row step); anything else is first made so.
     */
    private static float[] floats(INDArray array) {
        INDArray dense = array.dataType() == DataType.FLOAT && array.ordering() == 'c' && !array.isView()
                && array.offset() == 0 && array.data().length() == array.length()
                ? array : array.castTo(DataType.FLOAT).dup('c');
        float[] values = new float[Math.toIntExact(dense.length())];
        dense.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        return values;
    }

    private static INDArray array(float[] values, int rows, int columns) {
        return Nd4j.create(values, new long[] {rows, columns}, 'c');
    }

    private static float[] ones(boolean[] kept) {
        float[] mask = new float[kept.length];
        for (int i = 0; i < kept.length; i++) {
            mask[i] = kept[i] ? 1 : 0;
        }
        return mask;
    }

    private static float[] filled(int length) {
        float[] values = new float[length];
        java.util.Arrays.fill(values, 1);
        return values;
    }
}
