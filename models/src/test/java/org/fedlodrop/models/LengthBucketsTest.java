package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.train.LengthBuckets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Length buckets against orders worked out by hand. */
class LengthBucketsTest {
    @Test
    void eachMegaBatchIsSortedLongestFirstWithTiesInTheRandomOrder() {
        int[] lengths = {3, 7, 7, 1, 5};
        // One mega-batch (50 × 2 ≥ 5 samples): by length, longest first; samples 2 and 1 tie and keep their order.
        assertThat(LengthBuckets.group(new int[] {4, 2, 0, 1, 3}, lengths, 2)).containsExactly(2, 1, 4, 0, 3);
    }

    @Test
    void megaBatchesAreSortedEachOnItsOwn() {
        int[] lengths = new int[120];
        int[] order = new int[120];
        for (int i = 0; i < 120; i++) {
            lengths[i] = i;
            order[i] = i;
        }
        // Batch size 1: mega-batches of 50 samples, 50 and 20: each reversed, none mixed with another.
        int[] grouped = LengthBuckets.group(order, lengths, 1);
        assertThat(grouped[0]).isEqualTo(49);
        assertThat(grouped[49]).isEqualTo(0);
        assertThat(grouped[50]).isEqualTo(99);
        assertThat(grouped[100]).isEqualTo(119);
        assertThat(grouped[119]).isEqualTo(100);
    }

    @Test
    void aLengthIsOnePastTheLastTokenThatIsNotPadding() {
        Dataset data = new Dataset(Nd4j.createFromArray(new double[][] {{5, 6, 0, 0}, {5, 0, 7, 0}, {0, 0, 0, 0}, {1, 2, 3, 4}}),
                new int[] {0, 1, 0, 1});
        assertThat(LengthBuckets.lengths(data, 0)).containsExactly(2, 3, 0, 4);
    }
}
