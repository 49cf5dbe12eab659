package org.fedlodrop.simulator.planning;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The baselines that choose γ by a rule and optimise the resources for it (docs/model.md §5):
 * {@code no-dropout} (γ = 0), {@code fixed} (a given γ) and {@code random} (γ uniform in [0, γ_max]).
 */
public final class RatePlanner implements RoundPlanner {
    private final String name;
    private final CellProblems problems;
    private final ToDoubleFunction<Integer> rate;

    private RatePlanner(String name, CellProblems problems, ToDoubleFunction<Integer> rate) {
        this.name = name;
        this.problems = problems;
        this.rate = rate;
    }

    public static RatePlanner noDropout(CellProblems problems) {
        return new RatePlanner("no-dropout", problems, device -> 0.0);
    }

    public static RatePlanner fixed(CellProblems problems, double gamma) {
        return new RatePlanner("fixed", problems, device -> gamma);
    }

    /** Draws from {@code random}, which the planner actor owns: one draw per device and round, in device order. */
    public static RatePlanner random(CellProblems problems, java.util.random.RandomGenerator random, double maxGamma) {
        return new RatePlanner("random", problems, device -> maxGamma * random.nextDouble());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz) {
        return plan(round, cell, devices, gains, bandwidthHz, null);
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz, double[] residualBits) {
        PlanningProblem problem = problems.build(round, devices, gains, bandwidthHz, residualBits);
        double[] gammas = new double[devices.length];
        for (int i = 0; i < devices.length; i++) {
            gammas[i] = rate.applyAsDouble(devices[i]);
        }
        List<String> unserved = Feasibility.unservedAt(problem, gammas);
        return new RoundPlan(round, cell, name, ResourceAllocation.allocate(problem, gammas), problem.objective(gammas),
                Double.NaN, 0, unserved);
    }
}
