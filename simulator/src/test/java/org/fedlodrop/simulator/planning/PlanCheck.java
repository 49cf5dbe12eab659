package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Checks a plan against every constraint of P, independently of the solvers: latency and energy
 * from docs/model.md eqs. 10 to 14 written out here, the band, P_max, [f_min, f_max] and [0, γ_max].
 */
final class PlanCheck {
    private PlanCheck() {
    }

    static void satisfiesEveryConstraint(PlanningProblem problem, List<DevicePlan> plans) {
        double band = 0;
        for (int k = 0; k < plans.size(); k++) {
            DevicePlan plan = plans.get(k);
            DeviceProblem device = problem.devices().get(k);
            double gamma = plan.gamma();
            assertThat(gamma).isBetween(0.0, problem.maxGamma());
            assertThat(plan.powerW()).isBetween(0.0, device.maxPowerW() * (1 + 1e-12));
            assertThat(plan.frequencyHz()).isBetween(device.minFrequencyHz() * (1 - 1e-12), device.maxFrequencyHz() * (1 + 1e-12));
            double bits = device.payloadBits().applyAsDouble(gamma);
            double cycles = device.cycles().applyAsDouble(gamma);
            double b = plan.bandwidthHz();
            double snrDown = device.baseStationPowerW() * device.gain() / (device.noisePsdWPerHz() * b);
            double snrUp = plan.powerW() * device.gain() / (device.noisePsdWPerHz() * b);
            double download = bits / (b * Math.log(1 + snrDown) / Math.log(2));
            double upload = bits / (b * Math.log(1 + snrUp) / Math.log(2));
            double compute = cycles / plan.frequencyHz();
            double energy = device.kappa() * cycles * plan.frequencyHz() * plan.frequencyHz() + plan.powerW() * upload;
            assertThat(download + compute + upload).as("latency of device " + k)
                    .isLessThanOrEqualTo(device.latencyBudgetS() * (1 + 1e-7));
            assertThat(energy).as("energy of device " + k).isLessThanOrEqualTo(device.energyBudgetJ() * (1 + 1e-7));
            band += b;
        }
        assertThat(band).isLessThanOrEqualTo(problem.bandwidthHz() * (1 + 1e-9));
    }
}
