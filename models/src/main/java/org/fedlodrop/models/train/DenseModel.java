package org.fedlodrop.models.train;

/**
 * A model that {@link DenseTraining} trains ({@link TrainingEngine#JAVA}) for a cohort of members: devices
 * that share its frozen weights, each with its own masks and trainable parameters. A member's
 * parameters are flat row-major arrays in {@link org.fedlodrop.models.net.Adapter#arrays()} order: A_u, B_u
 * of every adapted layer, then the head's weights and bias. A step runs the frozen products once for
 * the stacked samples of every member taking part, and each member's LoRA terms and head on its own rows.
 */
public interface DenseModel {
    /** Buffers for steps of up to {@code samples} samples in all, reused by every step of one training call. */
    Step step(int samples);

    /** One training step's forward and backward. */
    interface Step {
        /**
         * Forward and backward of one step: leaves in {@code losses[i]} the mean cross-entropy of the batch
         * of member {@code batch.members()[i]}, and in {@link #gradients} of that member the gradient of each
         * of its parameters, zero where a mask drops (the LoRA factors' are not computed, and must not be
         * read, when {@code trainLora} is false). {@code parameters} is indexed by member.
         */
        void lossAndGradients(StepBatch batch, float[][][] parameters, boolean trainLora, double[] losses);

        /** The gradients of a member's parameters from the last step it took part in. */
        float[][] gradients(int member);

        /**
         * The forward pass alone up to the head: returns an array whose first {@code batch.total()} rows
         * (of {@link #headWidth()} numbers) are the head's inputs for the stacked samples.
         */
        float[] headInputs(StepBatch batch, float[][][] parameters);

        int headWidth();
    }
}
