package org.fedlodrop.simulator.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.simulator.wireless.RadioSettings;
import org.junit.jupiter.api.Test;

/**
 * docs/model.md eqs. 10 to 14 against values worked out independently (Python, double precision) for
 * b = 1 MHz, p = 0.2 W, g = 1e-10, N0 = -174 dBm/Hz, P_BS = 46 dBm, S = 2e7 bit, f = 2 GHz,
 * κ = 1e-28, and the roberta-base load of the quickstart (E = 3, D = 20, γ = 0.5, 16 FLOPs/cycle).
 */
class DeviceRoundCostTest {
    private static Offset<Double> relative(double value) {
        return within(Math.abs(value) * 1e-12);
    }

    private final RadioSettings radio = new RadioSettings(10e6, 3.981071705534986e-21, 39.810717055349734, 0.2);

    @Test
    void cyclesFollowEquationTwelve() {
        ComputeLoad load = ComputeLoad.of(ModelCatalogue.find("roberta-base").orElseThrow(), 4, 16);
        // c0 = 4 N seq / 16 = 4 * 124,645,632 * 128 / 16; c1 = 6 * 147,456 * 128 / 16
        assertThat(load.frozenCyclesPerSample()).isEqualTo(3_988_660_224.0);
        assertThat(load.loraCyclesPerSample()).isEqualTo(7_077_888.0);
        assertThat(load.cycles(3, 20, 0.5)).isEqualTo(239_531_950_080.0);
    }

    @Test
    void latencyAndEnergyMatchHandComputedValues() {
        DeviceRoundCost cost = DeviceRoundCost.of(radio, 2.0e7, 1e-10, 1e6, 0.2, 2e9, 239_531_950_080.0, 1e-28);
        assertThat(cost.uplinkRateBps()).isCloseTo(12294842.6676597, relative(12294842.6676597));
        assertThat(cost.downlinkRateBps()).isCloseTo(19931570.01201849, relative(19931570.01201849));
        assertThat(cost.downloadS()).isCloseTo(1.0034332462490534, relative(1.0034332462490534));
        assertThat(cost.computeS()).isCloseTo(119.76597504, relative(119.76597504));
        assertThat(cost.uploadS()).isCloseTo(1.626698327145569, relative(1.626698327145569));
        assertThat(cost.computeEnergyJ()).isCloseTo(95.812780032, relative(95.812780032));
        assertThat(cost.uploadEnergyJ()).isCloseTo(0.3253396654291138, relative(0.3253396654291138));
        assertThat(cost.latencyS()).isCloseTo(122.39610661339464, relative(122.39610661339464));
        assertThat(cost.energyJ()).isCloseTo(96.13811969742912, relative(96.13811969742912));
    }

    @Test
    void stoppingMidUploadSpendsComputationAndPartOfTheUpload() {
        DeviceRoundCost cost = DeviceRoundCost.of(radio, 2.0e7, 1e-10, 1e6, 0.2, 2e9, 239_531_950_080.0, 1e-28);
        DeviceRoundCost.Spent spent = cost.stoppedAfter(119.76597504 + 0.5);
        assertThat(spent.computeS()).isEqualTo(cost.computeS());
        assertThat(spent.uploadS()).isCloseTo(0.5, within(1e-9));
        assertThat(spent.computeEnergyJ()).isEqualTo(cost.computeEnergyJ());
        assertThat(spent.uploadEnergyJ()).isCloseTo(0.2 * 0.5, within(1e-9));
        DeviceRoundCost.Spent halfway = cost.stoppedAfter(119.76597504 / 2);
        assertThat(halfway.computeEnergyJ()).isCloseTo(95.812780032 / 2, within(1e-9));
        assertThat(halfway.uploadEnergyJ()).isZero();
    }

    @Test
    void aDeadChannelGivesInfiniteTimeNotAnError() {
        DeviceRoundCost cost = DeviceRoundCost.of(radio, 2.0e7, 0, 1e6, 0.2, 2e9, 1e9, 1e-28);
        assertThat(cost.uploadS()).isInfinite();
        assertThat(cost.stoppedAfter(10).uploadEnergyJ()).isCloseTo(0.2 * (10 - 0.5), within(1e-9));
    }
}
