package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundCalibrationTest {
    @Test
    void recoversTheConstantsThatGeneratedTheMeasurements() {
        GeneralisationBound truth = new GeneralisationBound(0.3, 0.05, 0.4, 1, 1, 2, 6, 0.1);
        List<BoundCalibration.Measurement> measured = new ArrayList<>();
        for (double gamma : new double[] {0, 0.2, 0.45, 0.7, 0.9}) {
            measured.add(new BoundCalibration.Measurement(gamma, truth.empirical(gamma), truth.gap(gamma, 20)));
        }
        BoundCalibration.Fit fit = BoundCalibration.fit(measured, new GeneralisationBound(0, 0, 0, 1, 1, 1, 1, 0.1), 20);
        assertThat(fit.bound().epsilon0()).isCloseTo(0.3, within(1e-9));
        assertThat(fit.bound().cVar()).isCloseTo(0.05, within(1e-9));
        assertThat(fit.bound().cReg()).isCloseTo(0.4, within(1e-9));
        assertThat(fit.bound().strongConvexity()).isCloseTo(2, within(1e-7));
        assertThat(fit.bound().sparsityWeight()).isCloseTo(6, within(1e-7));
        assertThat(fit.empiricalRmse()).isLessThan(1e-9);
        assertThat(fit.gapRmse()).isLessThan(1e-9);
    }

    @Test
    void keepsTheConstantsNonNegative() {
        // Training loss falling with γ cannot be fitted with c_var, c_reg ≥ 0: they come out zero.
        List<BoundCalibration.Measurement> measured = List.of(new BoundCalibration.Measurement(0, 1.0, 2.0),
                new BoundCalibration.Measurement(0.5, 0.8, 1.5), new BoundCalibration.Measurement(0.9, 0.7, 1.2));
        BoundCalibration.Fit fit = BoundCalibration.fit(measured, new GeneralisationBound(0, 0, 0, 1, 1, 1, 1, 0.1), 20);
        assertThat(fit.bound().cVar()).isGreaterThanOrEqualTo(0);
        assertThat(fit.bound().cReg()).isGreaterThanOrEqualTo(0);
        assertThat(fit.bound().epsilon0()).isCloseTo((1.0 + 0.8 + 0.7) / 3, within(1e-9));
    }
}
