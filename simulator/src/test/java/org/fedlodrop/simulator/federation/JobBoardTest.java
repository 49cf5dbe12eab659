package org.fedlodrop.simulator.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.fedlodrop.simulator.scenario.StalenessFunction;
import org.junit.jupiter.api.Test;

/** The buffered server's bookkeeping and the staleness functions, traced by hand. */
class JobBoardTest {
    /**
     * Four devices in two cells (0, 0, 1, 1), two jobs at most, a buffer of two. Worked by hand:
     * version 0: devices 0 and 1 start (round robin from 0); 2 and 3 wait for a slot. Device 1 ends with an
     * update: a slot is free and device 2 starts (the pointer is past 1). Device 0 ends with an update: the buffer
     * holds two, the server steps; device 3 (never started) may start at version 0 or 1, devices 0 and 1 only at 1.
     */
    @Test
    void aShortBufferedTraceByHand() {
        JobBoard board = new JobBoard(new int[] {0, 0, 1, 1}, 2, 2);
        assertThat(board.starting(k -> true)).containsExactly(0, 1);
        board.started(0, 3e6);
        board.started(1, 4e6);
        assertThat(board.bandLeft(0, 10e6)).isEqualTo(3e6);
        assertThat(board.bandLeft(1, 10e6)).isEqualTo(10e6);
        assertThat(board.starting(k -> true)).isEmpty(); // two in flight
        board.ended(1, true);
        assertThat(board.full()).isFalse();
        assertThat(board.bandLeft(0, 10e6)).isEqualTo(7e6);
        assertThat(board.starting(k -> true)).containsExactly(2); // 1 had version 0 already; 3 waits for the slot
        board.started(2, 5e6);
        board.ended(0, true);
        assertThat(board.full()).isTrue();
        assertThat(board.inFlight()).isEqualTo(1);
        board.take();
        assertThat(board.starting(k -> true)).containsExactly(3); // 0 and 1 trained version 0 already
        board.stepped();
        assertThat(board.version()).isEqualTo(1);
        // Version 1: round robin from the device after the last started (3): 3, then 0; an offline device is passed.
        assertThat(board.starting(k -> k != 3)).containsExactly(0);
        assertThat(board.starting(k -> true)).containsExactly(3);
        board.passedOver(3); // planned but not served: it had its turn at version 1
        assertThat(board.starting(k -> true)).containsExactly(0);
        board.ended(2, false); // a miss: no update
        assertThat(board.buffered()).isZero();
        assertThat(board.bandLeft(1, 10e6)).isEqualTo(10e6);
    }

    /** Xie, Koyejo and Gupta (2019) §5.2, at a = 0.5, b = 4, by hand. */
    @Test
    void stalenessWeightsByHand() {
        assertThat(StalenessFunction.CONSTANT.weight(7, 0.5, 4)).isEqualTo(1);
        assertThat(StalenessFunction.POLYNOMIAL.weight(0, 0.5, 4)).isEqualTo(1);
        assertThat(StalenessFunction.POLYNOMIAL.weight(3, 0.5, 4)).isCloseTo(0.5, within(1e-15)); // 4^-1/2
        assertThat(StalenessFunction.POLYNOMIAL.weight(8, 1, 4)).isCloseTo(1.0 / 9, within(1e-15));
        assertThat(StalenessFunction.HINGE.weight(4, 0.5, 4)).isEqualTo(1);
        assertThat(StalenessFunction.HINGE.weight(6, 0.5, 4)).isCloseTo(0.5, within(1e-15)); // 1 / (0.5 * 2 + 1)
        assertThat(StalenessFunction.HINGE.weight(14, 0.5, 4)).isCloseTo(1.0 / 6, within(1e-15));
    }
}
