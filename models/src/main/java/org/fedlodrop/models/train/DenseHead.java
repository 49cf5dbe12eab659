package org.fedlodrop.models.train;

import java.util.Arrays;

/** The trained linear head and the mean softmax cross-entropy, forward and back, for {@link DenseModel}s. */
final class DenseHead {
    private DenseHead() {
    }

    /**
     * logits = h Wᵀ + b for m rows of h (m×width); returns the mean cross-entropy against {@code labels},
     * leaves dLoss/dlogits = (softmax − one-hot) / m in {@code logits}, and files dW and db.
     */
    static double lossAndGradients(float[] h, int m, int width, int classes, float[] weights, float[] bias,
                                   int[] labels, float[] logits, float[] dWeights, float[] dBias) {
        logits(h, m, width, classes, weights, bias, logits);
        double loss = 0;
        for (int i = 0; i < m; i++) {
            int row = i * classes;
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
        RowMajorProducts.addTransposedProduct(dWeights, logits, h, m, classes, width);
        Arrays.fill(dBias, 0);
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < classes; c++) {
                dBias[c] += logits[i * classes + c];
            }
        }
        return loss / m;
    }

    /** logits (m×classes) = h Wᵀ + b for m rows of h (m×width). */
    static void logits(float[] h, int m, int width, int classes, float[] weights, float[] bias, float[] logits) {
        RowMajorProducts.productTransposed(logits, h, weights, m, width, classes);
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < classes; c++) {
                logits[i * classes + c] += bias[c];
            }
        }
    }

    /** dh (m×width) = dlogits W: the gradient at the head's input, written over {@code dInput}. */
    static void inputGradient(float[] dLogits, float[] weights, int m, int classes, int width, float[] dInput) {
        Arrays.fill(dInput, 0, m * width, 0);
        RowMajorProducts.addProduct(dInput, dLogits, weights, m, classes, width);
    }
}
