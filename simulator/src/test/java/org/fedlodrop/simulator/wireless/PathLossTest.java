package org.fedlodrop.simulator.wireless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PathLossTest {
    @Test
    void umaMatchesItsFormulaAtKnownDistances() {
        PathLoss uma = new PathLoss.Uma3gpp();
        assertThat(uma.lossDb(1000, false)).isCloseTo(128.1, within(1e-12));
        assertThat(uma.lossDb(100, false)).isCloseTo(128.1 - 37.6, within(1e-12));
    }

    @Test
    void freeSpaceAtOneKilometreAndTwoPointFourGigahertz() {
        // 20 log10(d_km) + 20 log10(f_MHz) + 32.44 = 0 + 67.604 + 32.44
        assertThat(new PathLoss.FreeSpace(2.4e9).lossDb(1000, false)).isCloseTo(100.05, within(0.01));
    }

    @Test
    void logDistanceGrowsByTenNPerDecade() {
        PathLoss model = new PathLoss.LogDistance(40, 1, 3.5);
        assertThat(model.lossDb(10, false) - model.lossDb(1, false)).isCloseTo(35, within(1e-12));
    }

    @Test
    void fadingModelsHaveUnitMeanPower() {
        SplittableRandom random = new SplittableRandom(11);
        for (Fading fading : new Fading[] {new Fading.Rayleigh(), new Fading.Rician(3), new Fading.Nakagami(2.5),
                new Fading.Nakagami(0.7), new Fading.Flat()}) {
            double sum = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                sum += fading.powerGain(random);
            }
            assertThat(sum / n).as(fading.toString()).isCloseTo(1.0, within(0.01));
        }
    }

    @Test
    void decibelConversions() {
        assertThat(Decibels.dbmToWatts(30)).isCloseTo(1.0, within(1e-15));
        assertThat(Decibels.dbmToWatts(23)).isCloseTo(0.19952623149688797, within(1e-15));
        assertThat(Decibels.toDb(Decibels.toLinear(-97.3))).isCloseTo(-97.3, within(1e-12));
    }
}
