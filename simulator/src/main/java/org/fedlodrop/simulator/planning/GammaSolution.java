package org.fedlodrop.simulator.planning;

import java.util.List;

/**
 * What a solver of P returns: the dropout rates, their objective, and how it got there.
 *
 * @param gammas       γ_k by device position in the problem
 * @param objective    Σ G_k(γ_k) (the upper bound, for B&B)
 * @param lowerBound   a certified lower bound of P's optimum (B&B), or NaN
 * @param iterations   B&B nodes or P-SCA iterations
 * @param unserved     positions of devices that no γ ≤ γ_max lets meet the budgets, with why
 * @param widths       each device's option of bit width in the problem (all 0 where the plan does not choose bits)
 */
public record GammaSolution(double[] gammas, double objective, double lowerBound, long iterations,
                            List<String> unserved, int[] widths) {
    public GammaSolution {
        gammas = gammas.clone();
        unserved = List.copyOf(unserved);
        widths = widths == null ? new int[gammas.length] : widths.clone();
    }

    /** A solution at each device's first (or only) width. */
    public GammaSolution(double[] gammas, double objective, double lowerBound, long iterations, List<String> unserved) {
        this(gammas, objective, lowerBound, iterations, unserved, null);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** What a solver returns for an instance it cannot serve: γ_max everywhere, and who cannot be served. */
    public static GammaSolution infeasible(PlanningProblem problem, List<String> unserved) {
        double[] gammas = new double[problem.size()];
        java.util.Arrays.fill(gammas, problem.maxGamma());
        return new GammaSolution(gammas, problem.objective(gammas), Double.NaN, 0, unserved);
    }

    public boolean feasible() {
        return unserved.isEmpty();
    }

    /** (upper − lower) / |upper|: the certified relative gap of a B&B solution. */
    public double relativeGap() {
        return (objective - lowerBound) / Math.abs(objective);
    }
}
