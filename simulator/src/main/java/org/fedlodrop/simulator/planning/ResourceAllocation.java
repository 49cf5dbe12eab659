package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * Bandwidth, power and frequency for chosen dropout rates (docs/model.md §5). Each device gets
 * b^min_k(γ_k) and an equal share of what is left of the band (more band only lowers its energy),
 * then the energy-optimal p_k and f_k for that band. A device that cannot meet the budgets at its
 * γ at all gets no band; the others, if they fit, share the band as above and run at their
 * energy-optimal point (a weak IoT board must not make a phone burn its budget). If the rates of the
 * servable devices do not fit the band (a baseline's fixed γ, say), bandwidth is shared in proportion
 * to b^min and devices run at P_max and f_max: the run then shows who misses.
 */
public final class ResourceAllocation {
    private ResourceAllocation() {
    }

    /** One plan per device of the problem, in its order. */
    public static List<DevicePlan> allocate(PlanningProblem problem, double[] gammas) {
        int n = problem.size();
        double[] band = new double[n];
        double sum = 0;
        int served = 0;
        for (int k = 0; k < n; k++) {
            band[k] = problem.minimumBandwidth(k, gammas[k]);
            if (Double.isFinite(band[k])) {
                sum += band[k];
                served++;
            }
        }
        boolean fits = served == n && sum <= problem.bandwidthHz();
        List<DevicePlan> plans = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            DeviceProblem device = problem.devices().get(k);
            double b;
            if (fits) {
                b = band[k] + (problem.bandwidthHz() - sum) / n;
            } else if (Double.isFinite(band[k])) {
                b = problem.bandwidthHz() * band[k] / Math.max(sum, problem.bandwidthHz());
                if (served < n && sum < problem.bandwidthHz()) {
                    b = band[k] + (problem.bandwidthHz() - sum) / served;
                }
            } else {
                b = 0;
            }
            DeviceProblem.Operation operation = b > 0 ? device.leastEnergy(gammas[k], b) : null;
            if ((fits || (served < n && sum <= problem.bandwidthHz())) && operation != null) {
                plans.add(new DevicePlan(device.device(), gammas[k], b, operation.powerW(), operation.frequencyHz()));
            } else {
                plans.add(new DevicePlan(device.device(), gammas[k], b, device.maxPowerW(), device.maxFrequencyHz()));
            }
        }
        return plans;
    }
}
