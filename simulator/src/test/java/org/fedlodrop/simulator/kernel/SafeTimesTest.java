package org.fedlodrop.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The clock's safe times against a brute-force fixpoint: relax every edge until nothing changes
 * (Bellman and Ford), on random graphs with actors that reach everyone, without pending events, with
 * delays that saturate at NEVER, and with an actor behind a barrier.
 */
class SafeTimesTest {
    private static final long NEVER = SafeTimes.NEVER;

    @Test
    void agreesWithRelaxingEveryEdgeUntilNothingChanges() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            int n = random.nextInt(1, 40);
            int[][] receivers = randomGraph(random, n);
            long[] next = new long[n];
            long[] delay = new long[n];
            for (int i = 0; i < n; i++) {
                next[i] = random.nextInt(4) == 0 ? NEVER : random.nextLong(0, 50);
                delay[i] = switch (random.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> NEVER - 10; // saturates
                    default -> random.nextLong(0, 20);
                };
            }
            int barrier = random.nextInt(3) == 0 ? random.nextInt(n) : -1;
            long barrierEot = random.nextBoolean() ? NEVER : random.nextLong(0, 80);
            SafeTimes times = new SafeTimes(receivers);
            times.solve(next, delay, barrier, barrierEot);
            long[][] expected = bruteForce(receivers, next, delay, barrier, barrierEot);
            assertSolution(times, expected, trial);
            // Solving again on the same object (the clock does, every window) gives the same.
            times.solve(next, delay, barrier, barrierEot);
            for (int i = 0; i < n; i++) {
                assertThat(times.eit(i)).isEqualTo(expected[0][i]);
            }
        }
    }

    /** With no corrections allowed, Dijkstra answers every graph that needs one, with the same times. */
    @Test
    void dijkstraAnswersWhenCorrectionsRunOverTheirBudget() {
        SplittableRandom random = new SplittableRandom(12);
        int fallbacks = 0;
        for (int trial = 0; trial < 500; trial++) {
            int n = random.nextInt(2, 40);
            int[][] receivers = randomGraph(random, n);
            long[] next = new long[n];
            long[] delay = new long[n];
            for (int i = 0; i < n; i++) {
                next[i] = random.nextLong(0, 50);
                delay[i] = random.nextLong(0, 20);
            }
            SafeTimes times = new SafeTimes(receivers, 0);
            times.solve(next, delay, -1, NEVER);
            fallbacks += times.dijkstraRuns();
            long[][] expected = bruteForce(receivers, next, delay, -1, NEVER);
            assertSolution(times, expected, trial);
        }
        assertThat(fallbacks).as("graphs answered by Dijkstra").isGreaterThan(100);
    }

    /** {@code expected}: {eit, eot} per actor, as {@link #bruteForce} gives them. */
    private static void assertSolution(SafeTimes times, long[][] expected, int trial) {
        for (int i = 0; i < expected[0].length; i++) {
            assertThat(times.eit(i)).as("trial %d, eit of %d", trial, i).isEqualTo(expected[0][i]);
            assertThat(times.eot(i)).as("trial %d, eot of %d", trial, i).isEqualTo(expected[1][i]);
        }
    }

    private static int[][] randomGraph(SplittableRandom random, int n) {
        int[][] receivers = new int[n][];
        for (int i = 0; i < n; i++) {
            if (random.nextInt(6) == 0) {
                receivers[i] = null; // reaches everyone
                continue;
            }
            int count = random.nextInt(0, Math.min(n, 5) + 1);
            receivers[i] = random.ints(count, 0, n).distinct().toArray();
        }
        return receivers;
    }

    /** {eit, eot} by relaxing every edge until nothing changes. */
    private static long[][] bruteForce(int[][] receivers, long[] next, long[] delay, int barrier, long barrierEot) {
        int n = next.length;
        long[] eit = new long[n];
        long[] eot = new long[n];
        java.util.Arrays.fill(eit, NEVER);
        for (int i = 0; i < n; i++) {
            eot[i] = i == barrier ? barrierEot : SafeTimes.plus(next[i], delay[i]);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int s = 0; s < n; s++) {
                for (int r = 0; r < n; r++) {
                    int receiver = r;
                    boolean edge = receivers[s] == null
                            || java.util.Arrays.stream(receivers[s]).anyMatch(x -> x == receiver);
                    if (!edge || r == s || eot[s] >= eit[r]) {
                        continue;
                    }
                    eit[r] = eot[s];
                    changed = true;
                    if (r != barrier) {
                        eot[r] = SafeTimes.plus(Math.min(next[r], eit[r]), delay[r]);
                    }
                }
            }
        }
        return new long[][] {eit, eot};
    }
}
