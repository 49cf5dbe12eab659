package org.fedlodrop.reports.records;

/** A float32 tensor in row-major order, as safetensors files hold it ({@code org.fedlodrop.reports.io.SafeTensors}). */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        shape = shape.clone();
        data = data.clone();
        long size = 1;
        for (long dimension : shape) {
            size *= dimension;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape and data disagree: " + size + " vs " + data.length);
        }
    }
}
