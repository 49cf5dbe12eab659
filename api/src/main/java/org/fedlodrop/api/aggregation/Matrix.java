package org.fedlodrop.api.aggregation;

/**
 * A float32 matrix in row-major order; {@link #get} and {@link #values()} never expose the array a
 * caller could change.
 */
public record Matrix(int rows, int columns, float[] values) {
    public Matrix {
        if (rows < 0 || columns < 0 || values.length != rows * columns) {
            throw new IllegalArgumentException("a " + rows + "×" + columns + " matrix needs " + rows * columns
                    + " values, got " + values.length);
        }
        values = values.clone();
    }

    public float get(int row, int column) {
        return values[row * columns + column];
    }

    @Override
    public float[] values() {
        return values.clone();
    }
}
