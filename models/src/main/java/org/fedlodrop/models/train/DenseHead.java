package org.fedlodrop.models.train;

import static org.fedlodrop.models.train.BlasWorkspace.EXTRA;
import static org.fedlodrop.models.train.BlasWorkspace.LEFT;
import static org.fedlodrop.models.train.BlasWorkspace.PRODUCT;
import static org.fedlodrop.models.train.BlasWorkspace.RIGHT;
import static org.fedlodrop.models.train.BlasWorkspace.multiply;
import static org.fedlodrop.models.train.BlasWorkspace.store;

import org.bytedeco.javacpp.FloatPointer;

/**
 * The trained linear head and the mean softmax cross-entropy, forward and back, for {@link DenseModel}s:
 * on one member's rows {@code from} to {@code from + m} of the stacked head inputs and logits. Its
 * products run in OpenBLAS like the projections' ({@link BlasWorkspace}): written as loops, their dot
 * products over the head's width ran scalar, a tenth of a 512-wide MLP's step.
 */
public final class DenseHead {
    private DenseHead() {
    }

    /**
     * logits = h Wᵀ + b for the m rows of h (·×width) from {@code from}; returns their mean cross-entropy
     * against {@code labels}, leaves dLoss/dlogits = (softmax − one-hot) / m in those rows of
     * {@code logits}, and files dW and db.
     */
    static double lossAndGradients(BlasWorkspace workspace, float[] h, int from, int m, int width, int classes,
                                   float[] weights, float[] bias, int[] labels, float[] logits, float[] dWeights,
                                   float[] dBias) {
        FloatPointer input = stagedLogits(workspace, h, from, m, width, classes, weights, bias, logits);
        double loss = 0;
        for (int i = 0; i < m; i++) {
            int row = (from + i) * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            float sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += (float) Math.exp(logits[row + c] - max);
            }
            float logSum = (float) Math.log(sum);
            loss -= logits[row + labels[i]] - max - logSum;
            for (int c = 0; c < classes; c++) {
                float probability = (float) Math.exp(logits[row + c] - max - logSum);
                logits[row + c] = (probability - (c == labels[i] ? 1 : 0)) / m;
            }
        }
        // dW = dlogitsᵀ h, with h as logits staged it.
        FloatPointer dLogits = workspace.load(EXTRA, logits, from * classes, m * classes);
        FloatPointer product = workspace.stage(PRODUCT, (long) classes * width);
        multiply(true, false, classes, width, m, 1, dLogits, classes, input, width, 0, product, width);
        store(product, dWeights, classes * width);
        java.util.Arrays.fill(dBias, 0);
        for (int i = from; i < from + m; i++) {
            for (int c = 0; c < classes; c++) {
                dBias[c] += logits[i * classes + c];
            }
        }
        return loss / m;
    }

    /** Rows {@code from} to {@code from + m} of logits (·×classes) = h Wᵀ + b for those rows of h (·×width). */
    static void logits(BlasWorkspace workspace, float[] h, int from, int m, int width, int classes, float[] weights,
                       float[] bias, float[] logits) {
        stagedLogits(workspace, h, from, m, width, classes, weights, bias, logits);
    }

    /** As {@link #logits}, returning the native copy of those rows of h (staged in {@link BlasWorkspace#LEFT}). */
    private static FloatPointer stagedLogits(BlasWorkspace workspace, float[] h, int from, int m, int width,
                                             int classes, float[] weights, float[] bias, float[] logits) {
        FloatPointer input = workspace.load(LEFT, h, from * width, m * width);
        FloatPointer head = workspace.load(RIGHT, weights, 0, classes * width);
        FloatPointer product = workspace.stage(PRODUCT, (long) m * classes);
        multiply(false, true, m, classes, width, 1, input, width, head, width, 0, product, classes);
        store(product, logits, from * classes, m * classes);
        for (int i = from; i < from + m; i++) {
            for (int c = 0; c < classes; c++) {
                logits[i * classes + c] += bias[c];
            }
        }
        return input;
    }

    /** Rows {@code from} to {@code from + m} of dh (·×width) = dlogits W for those rows, written over {@code dInput}. */
    static void inputGradient(BlasWorkspace workspace, float[] dLogits, float[] weights, int from, int m, int classes,
                              int width, float[] dInput) {
        FloatPointer gradient = workspace.load(EXTRA, dLogits, from * classes, m * classes);
        FloatPointer head = workspace.load(RIGHT, weights, 0, classes * width);
        FloatPointer product = workspace.stage(PRODUCT, (long) m * width);
        multiply(false, false, m, width, classes, 1, gradient, classes, head, width, 0, product, width);
        store(product, dInput, from * width, m * width);
    }

    /**
     * Every member's head on its own rows of the stacked head inputs {@code h}: its loss into
     * {@code losses[i]}, dW and db into its gradients (parameters {@code head} and {@code head + 1}), and
     * its dLoss/dlogits into its rows of {@code logits}.
     */
    public static void lossesAndGradients(BlasWorkspace workspace, StepBatch batch, float[] h, int width, int classes,
                                   float[][][] parameters, int head, float[] logits, float[][][] gradients,
                                   double[] losses) {
        for (int i = 0; i < batch.size(); i++) {
            int d = batch.members()[i];
            losses[i] = lossAndGradients(workspace, h, batch.starts()[i], batch.size(i), width, classes,
                    parameters[d][head], parameters[d][head + 1], batch.labels()[i], logits, gradients[d][head],
                    gradients[d][head + 1]);
        }
    }

    /** Every member's dh = dlogits W on its own rows, written over {@code dInput}. */
    public static void inputGradients(BlasWorkspace workspace, StepBatch batch, float[] logits, float[][][] parameters,
                               int head, int classes, int width, float[] dInput) {
        for (int i = 0; i < batch.size(); i++) {
            inputGradient(workspace, logits, parameters[batch.members()[i]][head], batch.starts()[i], batch.size(i),
                    classes, width, dInput);
        }
    }

    /**
     * Gradient arrays of every member, [member][parameter]: A_u (r × in) and B_u (out × r) of each adapted
     * projection, then the head's weights (classes × width) and bias.
     */
    public static float[][][] gradientArrays(int members, Iterable<DenseLinear> projections, int adapted, int rank,
                                      int classes, int width) {
        float[][][] gradients = new float[members][2 * adapted + 2][];
        for (float[][] member : gradients) {
            for (DenseLinear linear : projections) {
                if (linear.adapted()) {
                    member[2 * linear.layer()] = new float[rank * linear.inputs()];
                    member[2 * linear.layer() + 1] = new float[linear.outputs() * rank];
                }
            }
            member[2 * adapted] = new float[classes * width];
            member[2 * adapted + 1] = new float[classes];
        }
        return gradients;
    }
}
