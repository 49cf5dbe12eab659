package org.fedlodrop.models.train;

/**
 * What the transformer families' {@link DenseModel}s do with token rows outside their blocks: embed a
 * step's token ids, mean-pool the last hidden states over each sample's real tokens, and spread a
 * pooled gradient back. Rows are tokens, sample by sample: (m·t) × width.
 */
public final class TokenRows {
    private TokenRows() {
    }

    /**
     * The longest sample of {@code batch}: one past its last token that is not padding (id {@code pad}), at
     * least 1. Samples are feature rows of {@code stride} token ids, padded at the end.
     */
    public static int longest(StepBatch batch, int stride, int pad) {
        int longest = 1;
        for (int member = 0; member < batch.size(); member++) {
            float[] features = batch.features()[member];
            int[] rows = batch.rows()[member];
            for (int k = 0; k < batch.size(member); k++) {
                int from = rows[k] * stride;
                for (int j = stride - 1; j >= longest; j--) {
                    if ((int) features[from + j] != pad) {
                        longest = j + 1;
                        break;
                    }
                }
            }
        }
        return longest;
    }

    /**
     * Row r = i·t + j of {@code out} = the embedding of sample i's token j plus {@code positions} row j,
     * for j below t and the stacked samples of {@code batch} (their token ids are their feature rows, of
     * {@code stride} ids each); marks padding
     * (id {@code pad}) and leaves 1 / (the sample's real tokens) per real token, 0 per padding, in
     * {@code poolWeights}.
     */
    public static void embed(StepBatch batch, int stride, int t, int width, float[] embeddings, float[] positions, int pad,
                      boolean[] padding, float[] poolWeights, float[] out) {
        for (int member = 0; member < batch.size(); member++) {
            float[] features = batch.features()[member];
            int[] rows = batch.rows()[member];
            for (int k = 0; k < batch.size(member); k++) {
                int i = batch.starts()[member] + k;
                int real = 0;
                for (int j = 0; j < t; j++) {
                    int id = (int) features[rows[k] * stride + j];
                    int r = i * t + j;
                    padding[r] = id == pad;
                    real += padding[r] ? 0 : 1;
                    for (int e = 0; e < width; e++) {
                        out[r * width + e] = embeddings[id * width + e] + positions[j * width + e];
                    }
                }
                for (int j = 0; j < t; j++) {
                    poolWeights[i * t + j] = padding[i * t + j] ? 0 : 1f / real;
                }
            }
        }
    }

    /** pooled (m × width) = the mean of each sample's real token rows of {@code hidden}. */
    public static void meanPool(float[] hidden, float[] poolWeights, int m, int t, int width, float[] pooled) {
        java.util.Arrays.fill(pooled, 0, m * width, 0);
        for (int r = 0; r < m * t; r++) {
            float weight = poolWeights[r];
            int sample = (r / t) * width;
            for (int e = 0; e < width; e++) {
                pooled[sample + e] += weight * hidden[r * width + e];
            }
        }
    }

    /** The gradient at the token rows from the gradient at the mean-pooled rows, written over {@code dHidden}. */
    public static void meanUnpool(float[] dPooled, float[] poolWeights, int m, int t, int width, float[] dHidden) {
        for (int r = 0; r < m * t; r++) {
            float weight = poolWeights[r];
            int sample = (r / t) * width;
            for (int e = 0; e < width; e++) {
                dHidden[r * width + e] = dPooled[sample + e] * weight;
            }
        }
    }
}
