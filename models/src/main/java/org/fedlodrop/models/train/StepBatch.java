package org.fedlodrop.models.train;

/**
 * The samples of one training step of a cohort ({@link DenseTraining}): the members taking part, in
 * ascending cohort index, and for each its batch, stacked in that order: member {@code members[i]}'s
 * samples are rows {@code starts[i]} to {@code starts[i + 1]} of the step's activations, and are rows
 * {@code rows[i]} of its own {@code features[i]} (row-major, as in its {@code Dataset}) with labels
 * {@code labels[i]}. Training one device alone is a cohort of one.
 */
public record StepBatch(int[] members, int[] starts, float[][] features, int[][] rows, int[][] labels) {
    /** How many members take part. */
    public int size() {
        return members.length;
    }

    /** Samples in all. */
    public int total() {
        return starts[members.length];
    }

    /** Samples of the i-th member taking part. */
    public int size(int i) {
        return starts[i + 1] - starts[i];
    }

    /** The stacked boundaries with every sample spanning {@code factor} rows (a transformer's tokens). */
    public int[] starts(int factor) {
        int[] scaled = new int[starts.length];
        for (int i = 0; i < starts.length; i++) {
            scaled[i] = starts[i] * factor;
        }
        return scaled;
    }
}
