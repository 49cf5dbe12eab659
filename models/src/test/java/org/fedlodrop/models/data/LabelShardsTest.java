package org.fedlodrop.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Partitions#labelShards}: a few classes per device, each device's size kept. */
class LabelShardsTest {

    @Test
    void aBalancedPoolGivesEachDeviceExactlyItsClassesAndItsSize() {
        int classes = 10;
        int[] labels = new int[2_000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        int[] sizes = new int[10];
        Arrays.fill(sizes, 200);
        List<int[]> parts = Partitions.labelShards(labels, classes, sizes, 2, new SplittableRandom(3));
        assertThat(parts).hasSize(10);
        int[] devicesPerClass = new int[classes];
        for (int k = 0; k < parts.size(); k++) {
            assertThat(parts.get(k)).hasSize(200);
            Set<Integer> held = new HashSet<>();
            int[] counts = new int[classes];
            for (int i : parts.get(k)) {
                held.add(labels[i]);
                counts[labels[i]]++;
            }
            // Two classes, 100 samples each: 10 devices × 2 classes deal each class to exactly 2 devices.
            assertThat(held).hasSize(2);
            for (int c : held) {
                assertThat(counts[c]).isEqualTo(100);
                devicesPerClass[c]++;
            }
        }
        assertThat(devicesPerClass).containsOnly(2);
        assertIsAPartition(parts, labels.length);
    }

    @Test
    void aClassThatRunsOutIsMadeUpFromTheFullestSoEverySampleIsDealtOnce() {
        // Class 0 has 10 samples, class 1 has 290, class 2 has 100; three devices of 100, one class each.
        int[] labels = new int[400];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 10 ? 0 : i < 300 ? 1 : 2;
        }
        int[] sizes = {100, 150, 150};
        for (long seed = 1; seed <= 5; seed++) {
            List<int[]> parts = Partitions.labelShards(labels, 3, sizes, 1, new SplittableRandom(seed));
            for (int k = 0; k < 3; k++) {
                assertThat(parts.get(k)).hasSize(sizes[k]);
            }
            assertIsAPartition(parts, labels.length);
        }
    }

    @Test
    void theSameSeedDealsTheSameShardsAndSizesMustMatchThePool() {
        int[] labels = new SplittableRandom(9).ints(300, 0, 4).toArray();
        int[] sizes = {100, 50, 150};
        assertThat(Partitions.labelShards(labels, 4, sizes, 1, new SplittableRandom(2)))
                .usingRecursiveComparison()
                .isEqualTo(Partitions.labelShards(labels, 4, sizes, 1, new SplittableRandom(2)));
        assertThatThrownBy(() -> Partitions.labelShards(labels, 4, new int[] {100, 100}, 1, new SplittableRandom(2)))
                .isInstanceOf(IllegalArgumentException.class);
        // More classes per device than there are: every device holds every class.
        for (int[] part : Partitions.labelShards(labels, 4, sizes, 9, new SplittableRandom(2))) {
            assertThat(Arrays.stream(part).map(i -> labels[i]).distinct().count()).isEqualTo(4);
        }
    }

    private static void assertIsAPartition(List<int[]> parts, int size) {
        int[] all = parts.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(all).hasSize(size);
        for (int i = 0; i < size; i++) {
            assertThat(all[i]).isEqualTo(i);
        }
    }
}
