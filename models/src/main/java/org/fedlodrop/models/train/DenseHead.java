package org.fedlodrop.models.train;

import java.util.Arrays;

/**
 * The trained linear head and the mean softmax cross-entropy, forward and back, for {@link DenseModel}s:
 * on one member's rows {@code from} to {@code from + m} of the stacked head inputs and logits.
 */
final class DenseHead {
    private DenseHead() {
    }

    /**
     * logits = h Wᵀ + b for the m rows of h (·×width) from {@code from}; returns their mean cross-entropy
     * against {@code labels}, leaves dLoss/dlogits = (softmax − one-hot) / m in those rows of
     * {@code logits}, and files dW and db.
     */
    static double lossAndGradients(float[] h, int from, int m, int width, int classes, float[] weights, float[] bias,
                                   int[] labels, float[] logits, float[] dWeights, float[] dBias) {
        logits(h, from, m, width, classes, weights, bias, logits);
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
        Arrays.fill(dWeights, 0);
        RowMajorProducts.addTransposedProduct(dWeights, logits, h, from, m, classes, width);
        Arrays.fill(dBias, 0);
        for (int i = from; i < from + m; i++) {
            for (int c = 0; c < classes; c++) {
                dBias[c] += logits[i * classes + c];
            }
        }
        return loss / m;
    }

    /** Rows {@code from} to {@code from + m} of logits (·×classes) = h Wᵀ + b for those rows of h (·×width). */
    static void logits(float[] h, int from, int m, int width, int classes, float[] weights, float[] bias,
                       float[] logits) {
        RowMajorProducts.productTransposed(logits, h, weights, from, m, width, classes);
        for (int i = from; i < from + m; i++) {
            for (int c = 0; c < classes; c++) {
                logits[i * classes + c] += bias[c];
            }
        }
    }

    /** Rows {@code from} to {@code from + m} of dh (·×width) = dlogits W for those rows, written over {@code dInput}. */
    static void inputGradient(float[] dLogits, float[] weights, int from, int m, int classes, int width,
                              float[] dInput) {
        Arrays.fill(dInput, from * width, (from + m) * width, 0);
        RowMajorProducts.addProduct(dInput, dLogits, weights, from, m, classes, width);
    }
}
