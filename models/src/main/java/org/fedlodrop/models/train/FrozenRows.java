package org.fedlodrop.models.train;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen weight W0 (out×in) as Java float rows, and its transpose, for {@link DenseLinear}. A device's
 * model carries the same frozen arrays round after round and device after device (only W0 folding under
 * exact aggregation makes new ones), so each thread keeps the rows of the frozen arrays it met last and
 * copies and transposes an array once rather than once per training call: that was a third of a
 * 20-sample call's time. The cache is keyed by the array's identity and holds it weakly; its entries are
 * a pure function of arrays that are not modified in place once devices train on them (pretraining
 * updates its weights before, and exact aggregation folds into new arrays), so nothing a run computes
 * depends on it. Code that changes a frozen array in place must make a new one instead.
 */
record FrozenRows(float[][] rows, float[][] transposedRows) {
    /** Entries kept per thread: more than the projections of any model the java engine trains. */
    private static final int CAPACITY = 64;
    private static final ThreadLocal<ArrayDeque<Entry>> RECENT = ThreadLocal.withInitial(ArrayDeque::new);

    private record Entry(WeakReference<INDArray> array, FrozenRows rows) {
    }

    static FrozenRows of(INDArray frozen) {
        ArrayDeque<Entry> recent = RECENT.get();
        for (Iterator<Entry> it = recent.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            INDArray held = entry.array().get();
            if (held == null) {
                it.remove();
            } else if (held == frozen) {
                return entry.rows();
            }
        }
        int outputs = (int) frozen.rows();
        int inputs = (int) frozen.columns();
        float[] values = DenseTraining.floats(frozen);
        FrozenRows rows = new FrozenRows(RowMajorProducts.rows(values, outputs, inputs),
                RowMajorProducts.rows(RowMajorProducts.transpose(values, outputs, inputs), inputs, outputs));
        if (recent.size() == CAPACITY) {
            recent.removeLast();
        }
        recent.addFirst(new Entry(new WeakReference<>(frozen), rows));
        return rows;
    }
}
