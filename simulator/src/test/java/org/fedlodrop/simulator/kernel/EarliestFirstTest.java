package org.fedlodrop.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The clock's queue against a brute-force one: earliest time first, decrease-key, each item once. */
class EarliestFirstTest {
    @Test
    void pollsInTheOrderOfABruteForceQueue() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 500; trial++) {
            int items = random.nextInt(1, 60);
            EarliestFirst queue = new EarliestFirst(items);
            long[] queued = new long[items]; // the reference: the least time offered, or MAX when not queued
            Arrays.fill(queued, Long.MAX_VALUE);
            int operations = random.nextInt(1, 300);
            for (int op = 0; op < operations; op++) {
                if (random.nextInt(3) > 0) {
                    int item = random.nextInt(items);
                    long at = random.nextLong(0, 40); // few distinct times: ties are common
                    queue.offer(item, at);
                    queued[item] = Math.min(queued[item], at);
                } else if (!queue.isEmpty()) {
                    int item = queue.poll();
                    long least = Arrays.stream(queued).min().orElseThrow();
                    assertThat(queued[item]).as("trial %d: polled %d", trial, item).isEqualTo(least);
                    assertThat(queue.timeOf(item)).isEqualTo(least);
                    queued[item] = Long.MAX_VALUE;
                } else {
                    assertThat(queued).containsOnly(Long.MAX_VALUE);
                }
            }
            int left = 0;
            long previous = Long.MIN_VALUE;
            while (!queue.isEmpty()) {
                int item = queue.poll();
                assertThat(queued[item]).isLessThan(Long.MAX_VALUE).isGreaterThanOrEqualTo(previous);
                previous = queued[item];
                queued[item] = Long.MAX_VALUE;
                left++;
            }
            assertThat(queued).containsOnly(Long.MAX_VALUE);
            assertThat(left).isLessThanOrEqualTo(items);
        }
    }
}
