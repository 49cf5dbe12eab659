package org.fedlodrop.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtualTimeTest {
    @Test
    void virtualTimeRoundsAndSaturates() {
        assertThat(VirtualTime.nanos(1.5)).isEqualTo(1_500_000_000L);
        assertThat(VirtualTime.nanos(Double.POSITIVE_INFINITY)).isEqualTo(VirtualTime.HORIZON_NS);
        assertThat(VirtualTime.plus(VirtualTime.HORIZON_NS, 5)).isEqualTo(VirtualTime.HORIZON_NS);
        assertThat(VirtualTime.seconds(2_500_000_000L)).isEqualTo(2.5);
    }
}
