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
 */
public record GammaSolution(double[] gammas, double objective, double lowerBound, long iterations,
                            List<String> unserved) {
    public GammaSolution {
        gammas = gammas.clone();
        unserved = List.copyOf(unserved);
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
