package org.fedlodrop.models.train;

import java.util.Arrays;
import java.util.Comparator;
import org.fedlodrop.models.data.Dataset;

/**
 * Batches of texts of similar length (HuggingFace Trainer's {@code group_by_length}): an epoch's random
 * order is cut into mega-batches of {@value #MEGA_BATCHES} batches, and each is sorted by length, longest
 * first, ties in the random order. Batches then hold texts of similar length, so that each step, which
 * runs on its longest text (dynamic padding), pads little; which texts share a mega-batch stays random.
 */
public final class LengthBuckets {
    /** Batches per mega-batch, HuggingFace's {@code mega_batch_mult} default. */
    static final int MEGA_BATCHES = 50;

    private LengthBuckets() {
    }

    /** {@code order} regrouped: each run of {@value #MEGA_BATCHES} × {@code batchSize} sorted by length, longest first. */
    public static int[] group(int[] order, int[] lengths, int batchSize) {
        int span = Math.max(1, MEGA_BATCHES * batchSize);
        Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
        Comparator<Integer> longestFirst = Comparator.comparingInt((Integer i) -> lengths[i]).reversed();
        for (int from = 0; from < boxed.length; from += span) {
            Arrays.sort(boxed, from, Math.min(boxed.length, from + span), longestFirst); // stable: ties keep their order
        }
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /** Each sample's length: one past its last token that is not {@code pad} (samples are rows of token ids). */
    public static int[] lengths(Dataset data, int pad) {
        int rows = data.size();
        int[] lengths = new int[rows];
        for (int i = 0; i < rows; i++) {
            double[] ids = data.features().getRow(i).toDoubleVector();
            int length = 0;
            for (int j = ids.length - 1; j >= 0; j--) {
                if ((int) ids[j] != pad) {
                    length = j + 1;
                    break;
                }
            }
            lengths[i] = length;
        }
        return lengths;
    }
}
