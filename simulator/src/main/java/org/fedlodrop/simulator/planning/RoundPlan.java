package org.fedlodrop.simulator.planning;

import java.util.List;

/**
 * A planner's decision for one cell in one round: a {@link DevicePlan} per device of the cell, the
 * bound's value Σ G_k(γ_k) of the chosen rates, and the solver's account.
 *
 * @param boundValue  Σ_k G_k(γ_k) over the cell's devices (eq. 6)
 * @param lowerBound  B&B's certified lower bound, NaN for other solvers
 * @param iterations  B&B nodes or P-SCA iterations, 0 for the baselines
 * @param reasons     why devices cannot be served within the budgets, one line per device or per group of
 *                    devices (empty when every device fits); a device left out has {@link DevicePlan#served()} false
 */
public record RoundPlan(int round, int cell, String solver, List<DevicePlan> devices, double boundValue,
                        double lowerBound, long iterations, List<String> reasons) {
    public RoundPlan {
        devices = List.copyOf(devices);
        reasons = List.copyOf(reasons);
    }

    /** Mean γ over the devices served, NaN when none is. */
    public double meanGamma() {
        return devices.stream().filter(DevicePlan::served).mapToDouble(DevicePlan::gamma).average().orElse(Double.NaN);
    }

    /** Devices of the cell the plan leaves out. */
    public int unservedCount() {
        return (int) devices.stream().filter(d -> !d.served()).count();
    }

    public double bandwidthSumHz() {
        return devices.stream().mapToDouble(DevicePlan::bandwidthHz).sum();
    }
}
