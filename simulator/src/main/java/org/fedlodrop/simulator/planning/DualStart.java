package org.fedlodrop.simulator.planning;

/**
 * A starting point for P-SCA in a large cell: the Lagrangian relaxation of the band constraint on a
 * grid of γ (docs/planner.md, Speed). For a price μ of bandwidth each device takes the grid point
 * minimising G_k(γ) + μ·b^min_k(γ), and μ is bisected to the least price at which the choices fit the
 * band; those choices are the start. Each device prices its grid alone, so this costs K × (pieces + 1)
 * values of b^min and a bisection over them, however large the cell.
 *
 * <p>Why: from γ_max / 2, P-SCA's steps in a cell of a thousand devices are each some 1/K of the
 * objective and its relative stopping test fires early, up to 3.5 % above a lower bound of the optimum;
 * from this start it polishes to within 1e-3 of that bound in a few iterations (PlannerAtScaleTest).
 * Used where no previous rates exist and B&B would take minutes: cells of more than
 * {@link #LARGE_CELL} devices.
 */
public final class DualStart {
    /** Above this many devices a cell's first plan starts here instead of running B&B. */
    public static final int LARGE_CELL = 100;
    /** Grid points per device: B&B's first grid. */
    public static final int PIECES = 32;

    private DualStart() {
    }

    /** The start for every device of the problem; a device that no grid point serves gets γ_max. */
    public static double[] of(PlanningProblem problem) {
        int n = problem.size();
        double[][] objective = new double[n][PIECES + 1];
        double[][] band = new double[n][PIECES + 1];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j <= PIECES; j++) {
                double gamma = problem.maxGamma() * j / PIECES;
                objective[k][j] = problem.deviceObjective(k, gamma);
                band[k][j] = problem.minimumBandwidth(k, gamma);
            }
        }
        int[] chosen = new int[n];
        double low = 0;
        double high = 1e-12;
        while (choose(objective, band, high, chosen) > problem.bandwidthHz() && high < 1e300) {
            low = high;
            high *= 4;
        }
        for (int i = 0; i < 100 && high > low; i++) {
            double mu = 0.5 * (low + high);
            if (mu == low || mu == high) {
                break;
            }
            if (choose(objective, band, mu, chosen) > problem.bandwidthHz()) {
                low = mu;
            } else {
                high = mu;
            }
        }
        choose(objective, band, high, chosen);
        double[] start = new double[n];
        for (int k = 0; k < n; k++) {
            start[k] = chosen[k] < 0 ? problem.maxGamma() : problem.maxGamma() * chosen[k] / PIECES;
        }
        return start;
    }

    /** Each device's cheapest grid point at price μ (the larger γ on a tie), into {@code chosen}; returns their band. */
    private static double choose(double[][] objective, double[][] band, double mu, int[] chosen) {
        double sum = 0;
        for (int k = 0; k < objective.length; k++) {
            int best = -1;
            double value = Double.POSITIVE_INFINITY;
            for (int j = 0; j < objective[k].length; j++) {
                if (Double.isFinite(band[k][j]) && objective[k][j] + mu * band[k][j] <= value) {
                    value = objective[k][j] + mu * band[k][j];
                    best = j;
                }
            }
            chosen[k] = best;
            sum += best < 0 ? Double.POSITIVE_INFINITY : band[k][best];
        }
        return sum;
    }
}
