package org.fedlodrop.simulator.wireless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DecibelsTest {
    @Test
    void convertsDbmToWattsAndDecibelsBothWays() {
        assertThat(Decibels.dbmToWatts(30)).isCloseTo(1.0, within(1e-15));
        assertThat(Decibels.dbmToWatts(23)).isCloseTo(0.19952623149688797, within(1e-15));
        assertThat(Decibels.toDb(Decibels.toLinear(-97.3))).isCloseTo(-97.3, within(1e-12));
    }
}
