package org.fedlodrop.models.train;

/**
 * A model that {@link DenseTraining} trains in plain float32 loops ({@link TrainingEngine#JAVA}). Its
 * trainable parameters are flat row-major arrays in {@link org.fedlodrop.models.net.Adapter#arrays()} order: A_u, B_u of
 * every adapted layer, then the head's weights and bias.
 */
interface DenseModel {
    /** Buffers for batches of up to {@code batch} rows, reused by every step of one training call. */
    Step step(int batch);

    /** One training step's forward and backward. */
    interface Step {
        /**
         * Forward and backward of the m samples whose rows of {@code features} (row-major, as in the
         * {@code Dataset}) are listed in {@code rows}: returns the batch's mean cross-entropy and leaves
         * the gradient of every parameter in {@link #gradients()}, zero where a mask drops (the LoRA
         * factors' are not computed, and must not be read, when {@code trainLora} is false).
         */
        double lossAndGradients(float[][] parameters, float[] features, int[] rows, int m, int[] labels,
                                boolean trainLora);

        float[][] gradients();

        /**
         * The forward pass alone up to the head: returns an array whose first m rows (of
         * {@link #headWidth()} numbers) are the head's inputs for these samples.
         */
        float[] headInputs(float[][] parameters, float[] features, int[] rows, int m);

        int headWidth();
    }
}
