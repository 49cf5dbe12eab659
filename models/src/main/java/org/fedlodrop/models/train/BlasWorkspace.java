package org.fedlodrop.models.train;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.fedlodrop.models.net.OperationThreads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native memory of one training call of the {@link TrainingEngine#JAVA java engine}, and its matrix
 * products through OpenBLAS's {@code cblas_sgemm}: the library ND4J itself loads (its bundled one, or the
 * machine's under {@code FEDLODROP_BLAS=system}), called directly through JavaCPP rather than through an
 * ND4J operation. A call costs about 1 µs on top of its arithmetic, against tens of µs for an ND4J
 * operation, and copying a Java array in or out runs at memory speed; measured on the 2-core reference
 * machine, one thread, copies included: 10×64×64 at 23–29 GFLOP/s (17 for the best Java loop),
 * 64×512×512 at 70–75, 1024×512×2048 at 88–95. Products run on one thread (OpenBLAS is pinned as ND4J
 * is, {@link OperationThreads}), so each result depends only on its inputs, never on the machine's threads.
 *
 * <p>Everything allocated here is freed by {@link #close()}, at the end of the call, not when the
 * garbage collector gets round to it.
 */
public final class BlasWorkspace implements AutoCloseable {
    static {
        OperationThreads.pinToOne();
    }

    /**
     * Staging buffers, by number: a projection ({@link DenseLinear}) and the head ({@link DenseHead})
     * stage their operands in the first five for the length of one call; attention ({@link DenseAttention})
     * keeps its operands in the rest across its products, and borrows the first ones between projections.
     */
    public static final int LEFT = 0;
    public static final int RIGHT = 1;
    public static final int PRODUCT = 2;
    public static final int EXTRA = 3;
    public static final int SECOND = 4;
    public static final int QUERY = 5;
    public static final int KEY = 6;
    public static final int VALUE = 7;
    public static final int SCORES = 8;
    public static final int CONTEXT = 9;
    public static final int SCORE_GRADIENTS = 10;
    private static final int STAGES = 11;

    private final FloatPointer[] stages = new FloatPointer[STAGES];
    private final List<Pointer> owned = new ArrayList<>();
    private boolean closed;

    /** A native buffer of {@code length} floats that lives until {@link #close()}. */
    FloatPointer allocate(long length) {
        FloatPointer buffer = new FloatPointer(Math.max(1, length));
        owned.add(buffer);
        return buffer;
    }

    /**
     * A frozen array as native float32 rows in its own order: its own buffer when it is a float32
     * row-major array that owns its whole buffer (no copy; the caller keeps the array reachable), else a
     * copy that lives until {@link #close()}.
     */
    FloatPointer frozen(INDArray array) {
        if (array.dataType() == DataType.FLOAT && array.ordering() == 'c' && !array.isView() && array.offset() == 0
                && array.data().length() == array.length()) {
            Pointer address = array.data().addressPointer();
            return address instanceof FloatPointer floats ? floats : new FloatPointer(address);
        }
        float[] values = DenseTraining.floats(array);
        FloatPointer copy = allocate(values.length);
        copy.put(values, 0, values.length);
        return copy;
    }

    /** Stage {@code slot}, at least {@code length} floats long (grown, never shrunk, within the call). */
    public FloatPointer stage(int slot, long length) {
        FloatPointer stage = stages[slot];
        if (stage == null || stage.capacity() < length) {
            if (stage != null) {
                stage.close();
            }
            stage = new FloatPointer(Math.max(length, stage == null ? 1 : 2 * stage.capacity()));
            stages[slot] = stage;
        }
        return stage;
    }

    /** Stage {@code slot} holding the first {@code length} numbers of {@code values}. */
    public FloatPointer load(int slot, float[] values, int length) {
        return load(slot, values, 0, length);
    }

    /** Stage {@code slot} holding {@code length} numbers of {@code values} from {@code offset}. */
    public FloatPointer load(int slot, float[] values, int offset, int length) {
        FloatPointer stage = stage(slot, length);
        stage.put(values, offset, length);
        return stage;
    }

    /** A view of {@code buffer} from entry {@code offset} on, for a product on a block of a larger matrix. */
    public static FloatPointer at(FloatPointer buffer, long offset) {
        return new FloatPointer(buffer).position(offset);
    }

    /** The first {@code length} numbers of a native buffer into {@code values}. */
    public static void store(FloatPointer buffer, float[] values, int length) {
        buffer.get(values, 0, length);
    }

    /** The first {@code length} numbers of a native buffer into {@code values} from {@code offset}. */
    public static void store(FloatPointer buffer, float[] values, int offset, int length) {
        buffer.get(values, offset, length);
    }

    /**
     * C (m×n) = α op(A) op(B) + β C, every matrix row-major with the given leading dimensions; op
     * transposes when asked. C's entries are sums over k in the kernel's fixed order.
     */
    public static void multiply(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, FloatPointer a,
                         int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FloatPointer stage : stages) {
            if (stage != null) {
                stage.close();
            }
        }
        owned.forEach(Pointer::close);
        owned.clear();
    }
}
