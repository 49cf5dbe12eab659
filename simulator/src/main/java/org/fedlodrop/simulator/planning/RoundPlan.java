package org.fedlodrop.simulator.planning;

import java.util.List;

/** A planner's decision for one round: a {@link DevicePlan} per device, by device index. */
public record RoundPlan(int round, String solver, List<DevicePlan> devices) {
    public RoundPlan {
        devices = List.copyOf(devices);
    }

    public double meanGamma() {
        return devices.stream().mapToDouble(DevicePlan::gamma).average().orElse(0);
    }
}
