package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code uniform} baseline (docs/model.md §5): the same given γ for every device, equal bandwidth B/K
 * in its cell, full power P_max and the highest frequency f_max, whatever the channel.
 */
public record UniformPlanner(double gamma, CellProblems problems) implements RoundPlanner {
    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz) {
        return plan(round, cell, devices, gains, bandwidthHz, null);
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz, double[] residualBits) {
        List<DevicePlan> plans = new ArrayList<>(devices.length);
        double share = devices.length == 0 ? 0 : bandwidthHz / devices.length;
        double[] gammas = new double[devices.length];
        PlanningProblem problem = problems.build(round, devices, gains, bandwidthHz, residualBits);
        for (int i = 0; i < devices.length; i++) {
            // Each device's own P_max and f_max (its class's, in a heterogeneous fleet).
            DeviceProblem device = problem.devices().get(i);
            plans.add(new DevicePlan(devices[i], gamma, share, device.maxPowerW(), device.maxFrequencyHz()));
            gammas[i] = gamma;
        }
        return new RoundPlan(round, cell, name(), plans, problem.objective(gammas), Double.NaN, 0, List.of());
    }
}
