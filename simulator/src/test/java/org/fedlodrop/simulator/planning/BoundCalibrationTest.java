package org.fedlodrop.simulator.planning;

import org.fedlodrop.simulator.bound.GeneralisationBound;
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

    /** Runs at 2 and 4 bits beside the full-precision ones: c_quant of eq. 7a comes back with the rest. */
    @Test
    void recoversTheQuantisationWeightFromRunsAtFewerBits() {
        GeneralisationBound truth = new GeneralisationBound(0.3, 0.05, 0.4, 1, 1, 2, 6, 0.1).withQuantisation(1.5);
        List<BoundCalibration.Measurement> measured = new ArrayList<>();
        for (double gamma : new double[] {0, 0.3, 0.6, 0.9}) {
            measured.add(new BoundCalibration.Measurement(gamma, truth.empirical(gamma), truth.gap(gamma, 20)));
        }
        for (int bits : new int[] {2, 4}) {
            // Written out: c (1 − γ)/(2^q − 1)² at γ = 0 is 1.5/9 at 2 bits and 1.5/225 at 4.
            double loss = truth.empirical(0) + 1.5 / Math.pow(Math.pow(2, bits) - 1, 2);
            measured.add(new BoundCalibration.Measurement(0, loss, truth.gap(0, 20), bits));
        }
        BoundCalibration.Fit fit = BoundCalibration.fit(measured, new GeneralisationBound(0, 0, 0, 1, 1, 1, 1, 0.1), 20);
        assertThat(fit.bound().quantisationWeight()).isCloseTo(1.5, within(1e-9));
        assertThat(fit.bound().epsilon0()).isCloseTo(0.3, within(1e-9));
        assertThat(fit.bound().cVar()).isCloseTo(0.05, within(1e-9));
        assertThat(fit.empiricalRmse()).isLessThan(1e-9);
        // Without runs below 32 bits the prior's weight is kept.
        BoundCalibration.Fit kept = BoundCalibration.fit(measured.subList(0, 4),
                new GeneralisationBound(0, 0, 0, 1, 1, 1, 1, 0.1).withQuantisation(7), 20);
        assertThat(kept.bound().quantisationWeight()).isEqualTo(7);
    }

    /**
     * Gaps measured on the synthetic workload (fedlodrop calibrate scenarios/synthetic.yaml): the one at
     * γ = 0.9 sits near the bound's floor, where the transformed target explodes. Fitted unweighted, it
     * drove Λ to zero and Φ_gap(0) to about 77,000; the weighted fit follows the gaps themselves.
     */
    @Test
    void aGapNearTheFloorDoesNotWreckTheFit() {
        List<BoundCalibration.Measurement> measured = List.of(new BoundCalibration.Measurement(0, 0.3674, 1.7532),
                new BoundCalibration.Measurement(0.3, 0.6820, 1.2903), new BoundCalibration.Measurement(0.6, 1.2638, 1.2277),
                new BoundCalibration.Measurement(0.9, 2.4864, 0.7222));
        BoundCalibration.Fit fit = BoundCalibration.fit(measured, new GeneralisationBound(0.1, 0.02, 0.05, 1, 1, 1, 4, 0.1), 20);
        // The reference: the best gap RMSE over a brute-force grid of (Λ, λ), 10^-3 to 10^3 each, same M, L, δ.
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 240; i++) {
            for (int j = 0; j <= 240; j++) {
                GeneralisationBound candidate = new GeneralisationBound(0, 0, 0, fit.bound().lossBound(), 1,
                        Math.pow(10, -3 + i / 40.0), Math.pow(10, -3 + j / 40.0), 0.1);
                double error = 0;
                for (BoundCalibration.Measurement m : measured) {
                    error += Math.pow(candidate.gap(m.gamma(), 20) - m.gap(), 2);
                }
                best = Math.min(best, Math.sqrt(error / measured.size()));
            }
        }
        assertThat(fit.gapRmse()).isLessThanOrEqualTo(best * 1.15 + 0.01);
        for (BoundCalibration.Measurement m : measured) {
            assertThat(fit.bound().gap(m.gamma(), 20)).as("γ = " + m.gamma()).isCloseTo(m.gap(), within(0.45));
        }
        // Φ_gap still falls with γ, so the bound keeps its interior optimum.
        assertThat(fit.bound().gap(0, 20)).isGreaterThan(fit.bound().gap(0.9, 20));
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
