package org.fedlodrop.simulator.planning;

/**
 * The online planner's choice of bits (issue 31, docs/planner.md "Bits in the plan"): P-SCA moves γ at fixed widths,
 * then each device in turn may change its width (with the γ on a grid that suits it) within the band its current
 * choice holds plus the band left unused, where that lowers its G_k; P-SCA then starts again from there, for at most
 * {@link #PASSES} rounds of the two. A block-coordinate descent: every step keeps the band and lowers the objective,
 * so the result is feasible and no worse than P-SCA at the starting widths; unlike branch and bound, it is not
 * certified (JointWidthsTest measures its gap to branch and bound). With one width it is P-SCA alone.
 */
final class WidthSearch {
    /** P-SCA runs and width sweeps at most. */
    static final int PASSES = 4;
    /** Points of the γ grid a device's new width is tried at. */
    static final int GRID = 32;

    private WidthSearch() {
    }

    static GammaSolution online(PlanningProblem problem, double[] start, int[] startWidths) {
        if (problem.widthCount() == 1) {
            return new PenalizedSca(problem, PenalizedSca.Settings.defaults()).solve(start);
        }
        int n = problem.size();
        int[] widths = startWidths.clone();
        double[] atMax = new double[n];
        java.util.Arrays.fill(atMax, problem.maxGamma());
        if (!fits(problem, atMax, widths)) {
            widths = new int[n]; // the smallest widths: the servable devices fit the band at γ_max (servable())
        }
        double[] gammas = start.clone();
        Best best = new Best(problem);
        long iterations = 0;
        GammaSolution last = null;
        int[] lastWidths = widths;
        for (int pass = 0; pass < PASSES; pass++) {
            last = new PenalizedSca(problem.atWidths(widths), PenalizedSca.Settings.defaults()).solve(gammas);
            lastWidths = widths.clone();
            iterations += last.iterations();
            if (!last.feasible()) {
                break;
            }
            gammas = last.gammas();
            best.offer(gammas, widths);
            int[] moved = widths.clone();
            double[] movedGammas = gammas.clone();
            if (!sweep(problem, movedGammas, moved)) {
                break;
            }
            widths = moved;
            gammas = movedGammas;
            // A sweep keeps the band a point used: it fits if the point it started from did.
            best.offer(gammas, widths);
        }
        if (best.gammas == null) {
            // Nothing fitted the band: P-SCA's last answer, at the widths it was given.
            return new GammaSolution(last.gammas(), last.objective(), Double.NaN, iterations, last.unserved(), lastWidths);
        }
        return new GammaSolution(best.gammas, best.objective, Double.NaN, iterations, java.util.List.of(), best.widths);
    }

    /** The best point seen that fits the band. */
    private static final class Best {
        private final PlanningProblem problem;
        private double[] gammas;
        private int[] widths;
        private double objective = Double.POSITIVE_INFINITY;

        Best(PlanningProblem problem) {
            this.problem = problem;
        }

        void offer(double[] gammas, int[] widths) {
            if (fits(problem, gammas, widths) && problem.objective(gammas, widths) < objective) {
                this.objective = problem.objective(gammas, widths);
                this.gammas = gammas.clone();
                this.widths = widths.clone();
            }
        }
    }

    private static boolean fits(PlanningProblem problem, double[] gammas, int[] widths) {
        double total = 0;
        for (int k = 0; k < problem.size(); k++) {
            total += problem.minimumBandwidth(k, widths[k], gammas[k]);
        }
        return total <= problem.bandwidthHz();
    }

    /**
     * One sweep over the devices: each may move to another width and a γ of the grid, within the band it holds now
     * plus the band no one uses, where that lowers its G_k (by more than rounding). Whether any device moved.
     */
    static boolean sweep(PlanningProblem problem, double[] gammas, int[] widths) {
        int n = problem.size();
        double used = 0;
        for (int k = 0; k < n; k++) {
            used += problem.minimumBandwidth(k, widths[k], gammas[k]);
        }
        double spare = Math.max(0, problem.bandwidthHz() - used);
        double gammaMax = problem.maxGamma();
        boolean changed = false;
        for (int k = 0; k < n; k++) {
            double held = problem.minimumBandwidth(k, widths[k], gammas[k]);
            double cap = held + spare;
            double bestCost = problem.deviceObjective(k, widths[k], gammas[k]);
            int bestWidth = widths[k];
            double bestGamma = gammas[k];
            for (int v = 0; v < problem.widthCount(); v++) {
                if (v == widths[k]) {
                    continue;
                }
                // b^min falls with γ: the grid points from the first that fits are the ones that fit.
                int lo = 0;
                int hi = GRID + 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (problem.minimumBandwidth(k, v, gammaMax * mid / GRID) <= cap) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                for (int i = lo; i <= GRID; i++) {
                    double gamma = gammaMax * i / GRID;
                    double cost = problem.deviceObjective(k, v, gamma);
                    if (cost < bestCost - 1e-12 * Math.abs(bestCost)) {
                        bestCost = cost;
                        bestWidth = v;
                        bestGamma = gamma;
                    }
                }
            }
            if (bestWidth != widths[k]) {
                spare = cap - problem.minimumBandwidth(k, bestWidth, bestGamma);
                widths[k] = bestWidth;
                gammas[k] = bestGamma;
                changed = true;
            }
        }
        return changed;
    }
}
