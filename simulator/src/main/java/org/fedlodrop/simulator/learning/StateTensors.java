package org.fedlodrop.simulator.learning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.fedlodrop.reports.records.StateTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J arrays to and from {@link StateTensor}s, bit for bit, in their own data type (float or double). */
final class StateTensors {
    private StateTensors() {
    }

    static StateTensor of(INDArray array) {
        INDArray rows = array.dup('c');
        long n = rows.length();
        if (rows.dataType() == DataType.DOUBLE) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(8 * n)).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asDoubleBuffer().put(rows.data().asDouble());
            return new StateTensor("F64", rows.shape(), bytes.array());
        }
        if (rows.dataType() == DataType.FLOAT) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(4 * n)).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(rows.data().asFloat());
            return new StateTensor("F32", rows.shape(), bytes.array());
        }
        throw new IllegalArgumentException("a checkpoint keeps float and double arrays, not " + rows.dataType());
    }

    static INDArray array(StateTensor tensor) {
        ByteBuffer bytes = ByteBuffer.wrap(tensor.data()).order(ByteOrder.LITTLE_ENDIAN);
        if (tensor.dtype().equals("F64")) {
            double[] values = new double[tensor.data().length / 8];
            bytes.asDoubleBuffer().get(values);
            return Nd4j.create(values, tensor.shape(), 'c');
        }
        float[] values = new float[tensor.data().length / 4];
        bytes.asFloatBuffer().get(values);
        return Nd4j.create(values, tensor.shape(), 'c');
    }
}
