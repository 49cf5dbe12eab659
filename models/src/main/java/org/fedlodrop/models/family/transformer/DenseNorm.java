package org.fedlodrop.models.family.transformer;

/**
 * Row-wise layer norm for the {@link DenseModel}s of the transformer families: x̂ = (x − mean) / √(var + ε)
 * per row of {@code width} numbers, with an affine part y = x̂ γ + β where the model has one (BERT),
 * and their backward passes.
 */
public final class DenseNorm {
    private DenseNorm() {
    }

    /** x̂ of the first {@code rows} rows of x into {@code normalised}, keeping 1/√(var + ε) per row. */
    public static void normalise(float[] x, int rows, int width, float epsilon, float[] normalised, float[] inverse) {
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            float mean = 0;
            for (int e = 0; e < width; e++) {
                mean += x[row + e];
            }
            mean /= width;
            float variance = 0;
            for (int e = 0; e < width; e++) {
                float centred = x[row + e] - mean;
                normalised[row + e] = centred;
                variance += centred * centred;
            }
            variance /= width;
            float inv = (float) (1 / Math.sqrt(variance + epsilon));
            inverse[r] = inv;
            for (int e = 0; e < width; e++) {
                normalised[row + e] *= inv;
            }
        }
    }

    /** y = x̂ γ + β, row by row. */
    public static void affine(float[] normalised, int rows, int width, float[] gamma, float[] beta, float[] output) {
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            for (int e = 0; e < width; e++) {
                output[row + e] = normalised[row + e] * gamma[e] + beta[e];
            }
        }
    }

    /** dy ⊙ γ, row by row: the gradient at x̂ of the affine part, written over {@code dy}. */
    public static void affineBackward(float[] dy, int rows, int width, float[] gamma) {
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            for (int e = 0; e < width; e++) {
                dy[row + e] *= gamma[e];
            }
        }
    }

    /** dx = (dx̂ − mean(dx̂) − x̂ mean(dx̂ ⊙ x̂)) / σ, written to dx, or added to it when {@code add}. */
    public static void backward(float[] dy, float[] normalised, float[] inverse, int rows, int width, float[] dx,
                         boolean add) {
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            float meanDy = 0;
            float meanDyX = 0;
            for (int e = 0; e < width; e++) {
                meanDy += dy[row + e];
                meanDyX += dy[row + e] * normalised[row + e];
            }
            meanDy /= width;
            meanDyX /= width;
            for (int e = 0; e < width; e++) {
                float value = (dy[row + e] - meanDy - normalised[row + e] * meanDyX) * inverse[r];
                dx[row + e] = add ? dx[row + e] + value : value;
            }
        }
    }
}
