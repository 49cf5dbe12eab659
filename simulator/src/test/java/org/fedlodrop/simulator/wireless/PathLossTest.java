package org.fedlodrop.simulator.wireless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Path loss against its formulas: UMa and log-distance by hand, free space at a known point, UMi
 * against TR 38.901 Table 7.4.1-1 evaluated independently (Python, 3.5 GHz, h_BS = 10 m, h_UT = 1.5 m).
 */
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
    void umiMatchesTr38901() {
        PathLoss.Umi3gpp umi = new PathLoss.Umi3gpp(3.5e9, 10, 1.5);
        assertThat(umi.breakpointM()).isCloseTo(210.1453799748358, within(1e-9));
        assertThat(umi.lossDb(100, true)).isCloseTo(85.31418910250133, within(1e-9));
        assertThat(umi.lossDb(100, false)).isCloseTo(104.64383201166098, within(1e-9));
        assertThat(umi.lossDb(500, true)).isCloseTo(107.10804931582909, within(1e-9));
        assertThat(umi.lossDb(500, false)).isCloseTo(129.26450544868536, within(1e-9));
        assertThat(umi.lineOfSightProbability(10)).isEqualTo(1);
        assertThat(umi.lineOfSightProbability(50)).isCloseTo(0.5195854136174696, within(1e-12));
        assertThat(umi.lineOfSightProbability(200)).isCloseTo(0.09351798732692025, within(1e-12));
    }
}
