package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code uniform} baseline (MODEL.md §5): the same given γ for every device, equal bandwidth B/K,
 * full power P_max and the highest frequency f_max, whatever the channel.
 */
public record UniformPlanner(double gamma, double bandwidthHz, double maxPowerW, double maxFrequencyHz)
        implements RoundPlanner {
    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public RoundPlan plan(int round, double[] gains) {
        List<DevicePlan> devices = new ArrayList<>(gains.length);
        double share = bandwidthHz / gains.length;
        for (int k = 0; k < gains.length; k++) {
            devices.add(new DevicePlan(k, gamma, share, maxPowerW, maxFrequencyHz));
        }
        return new RoundPlan(round, name(), devices);
    }
}
