package org.fedlodrop.simulator.planning;

import java.util.List;

/**
 * A planner's decision for one cell in one round: a {@link DevicePlan} per device of the cell, the
 * bound's value Σ G_k(γ_k) of the chosen rates, and the solver's account.
 *
 * @param boundValue  Σ_k G_k(γ_k) over the cell's devices (eq. 6)
 * @param lowerBound  B&B's certified lower bound, NaN for other solvers
 * @param iterations  B&B nodes or P-SCA iterations, 0 for the baselines
 * @param unserved    devices no γ ≤ γ_max lets meet the budgets, with why (empty when feasible)
 */
public record RoundPlan(int round, int cell, String solver, List<DevicePlan> devices, double boundValue,
                        double lowerBound, long iterations, List<String> unserved) {
    public RoundPlan {
        devices = List.copyOf(devices);
        unserved = List.copyOf(unserved);
    }

    public double meanGamma() {
        return devices.stream().mapToDouble(DevicePlan::gamma).average().orElse(0);
    }

    public double bandwidthSumHz() {
        return devices.stream().mapToDouble(DevicePlan::bandwidthHz).sum();
    }
}
