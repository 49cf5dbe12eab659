package org.fedlodrop.simulator.planning;

import java.util.List;

/** A planner's decision for one cell in one round: a {@link DevicePlan} per device of the cell. */
public record RoundPlan(int round, int cell, String solver, List<DevicePlan> devices) {
    public RoundPlan {
        devices = List.copyOf(devices);
    }

    public double meanGamma() {
        return devices.stream().mapToDouble(DevicePlan::gamma).average().orElse(0);
    }

    public double bandwidthSumHz() {
        return devices.stream().mapToDouble(DevicePlan::bandwidthHz).sum();
    }
}
