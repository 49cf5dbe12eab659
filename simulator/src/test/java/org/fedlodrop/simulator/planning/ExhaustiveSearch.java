package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference the solvers are checked against: the best Σ G over a γ grid (× the widths, where the problem plans
 * bits) with Σ b^min ≤ B, by enumerating every combination of the devices' choices (K ≤ 4 nested loops over values
 * computed once). Infinite bands never fit.
 */
final class ExhaustiveSearch {
    private ExhaustiveSearch() {
    }

    /**
     * B&B's solution of a feasible instance against the grid's best: the grid's optimum is feasible, so no lower bound
     * may exceed it, and B&B's point is within its certified ε = 1e-4 of the optimum.
     */
    static void assertCertified(PlanningProblem problem, GammaSolution solution, int grid) {
        double best = best(problem, grid);
        assertThat(solution.lowerBound()).isLessThanOrEqualTo(best + 1e-12);
        assertThat(solution.objective()).isLessThanOrEqualTo(best * (1 + 1e-4) + 1e-12);
        assertThat(solution.relativeGap()).isLessThanOrEqualTo(1e-4 + 1e-12);
    }

    /** The best objective over {@code grid} points of γ from 0 to γ_max (one point, γ = 0, where γ_max is 0). */
    static double best(PlanningProblem problem, int grid) {
        int n = problem.size();
        int points = problem.maxGamma() > 0 ? grid : 1;
        int options = points * problem.widthCount();
        double[][] cost = new double[n][options];
        double[][] band = new double[n][options];
        for (int k = 0; k < n; k++) {
            for (int v = 0; v < problem.widthCount(); v++) {
                for (int i = 0; i < points; i++) {
                    double gamma = points == 1 ? 0 : problem.maxGamma() * i / (points - 1);
                    cost[k][v * points + i] = problem.deviceObjective(k, v, gamma);
                    band[k][v * points + i] = problem.minimumBandwidth(k, v, gamma);
                }
            }
        }
        double best = Double.POSITIVE_INFINITY;
        int[] index = new int[n];
        while (true) {
            double c = 0;
            double b = 0;
            for (int k = 0; k < n; k++) {
                c += cost[k][index[k]];
                b += band[k][index[k]];
            }
            if (Double.isFinite(b) && b <= problem.bandwidthHz() && c < best) {
                best = c;
            }
            int k = 0;
            while (k < n && ++index[k] == options) {
                index[k++] = 0;
            }
            if (k == n) {
                return best;
            }
        }
    }
}
