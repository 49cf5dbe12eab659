package org.fedlodrop.models.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Samples as rows of {@code features} with their class labels. */
public record Dataset(INDArray features, int[] labels) {
    public Dataset {
        labels = labels.clone();
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException("features and labels disagree on the number of samples");
        }
    }

    public int size() {
        return labels.length;
    }

    /** The samples at the given indices, in that order. */
    public Dataset select(int[] indices) {
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = labels[indices[i]];
        }
        return new Dataset(features.getRows(indices), selected);
    }
}
