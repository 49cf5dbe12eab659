package org.fedlodrop.reports.records;

/**
 * A tensor kept bit for bit, as a checkpoint needs it to resume a run exactly: its safetensors dtype
 * ({@code F32} or {@code F64}), shape, and data in row-major order as little-endian bytes.
 */
public record StateTensor(String dtype, long[] shape, byte[] data) {
    public StateTensor {
        shape = shape.clone();
        data = data.clone();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            default -> throw new IllegalArgumentException("dtype " + dtype + ": expected F32 or F64");
        };
        long size = 1;
        for (long dimension : shape) {
            size *= dimension;
        }
        if (size * width != data.length) {
            throw new IllegalArgumentException("shape and data disagree: " + size + " values of " + width + " bytes vs "
                    + data.length + " bytes");
        }
    }
}
