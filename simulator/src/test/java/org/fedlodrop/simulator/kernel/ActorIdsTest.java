package org.fedlodrop.simulator.kernel;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActorIdsTest {
    @Test
    void deviceIdsAreStringFormatsZeroPadding() {
        int[] indices = {0, 1, 9, 10, 99, 12345, 999_999, 1_000_000, 9_999_999, 10_000_000, 123_456_789, Integer.MAX_VALUE, -1, -42};
        for (int index : indices) {
            assertThat(ActorIds.device(index)).isEqualTo(String.format("device-%07d", index));
        }
        for (int index = 0; index < 200_000; index += 7) {
            assertThat(ActorIds.device(index)).isEqualTo(String.format("device-%07d", index));
        }
    }
}
