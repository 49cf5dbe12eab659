package org.fedlodrop.simulator.planning;

import java.util.List;

/**
 * The online solver of P (docs/model.md §5): penalised successive convex approximation.
 *
 * <p>At the current point γ^t each device's bound G_k is replaced by its linearisation plus a
 * proximal term (τ/2)(γ − γ^t)², a convex surrogate of the non-convex G, and the band constraint by
 * the linearisation of Σ b^min_k around γ^t with a slack s ≥ 0 penalised by a weight c that grows each
 * iteration, so the method may start from an infeasible point. The surrogate problem is a separable
 * quadratic with one linear constraint, solved exactly by bisection on its multiplier (in [0, c]): no
 * general convex solver is needed, which is why none of the Java optimisation libraries is used here.
 * A step is kept only if it lowers the penalised objective; otherwise τ grows (a shorter step). It
 * stops when the objective changes by less than {@link Settings#tolerance()} relatively and the true
 * band constraint holds.
 */
public final class PenalizedSca {
    /** Iteration limit, stopping tolerance, first penalty and its growth per iteration. */
    public record Settings(int maxIterations, double tolerance, double initialPenalty, double penaltyGrowth) {
        public static Settings defaults() {
            return new Settings(300, 1e-6, 10, 1.5);
        }
    }

    private final PlanningProblem problem;
    private final Settings settings;
    private final double[] band;
    private final double[] bandSlope;

    public PenalizedSca(PlanningProblem problem, Settings settings) {
        this.problem = problem;
        this.settings = settings;
        this.band = new double[problem.size()];
        this.bandSlope = new double[problem.size()];
    }

    /** From {@code start} (e.g. the previous round's plan), clipped to [0, γ_max]. */
    public static GammaSolution solve(PlanningProblem problem, double[] start) {
        return new PenalizedSca(problem, Settings.defaults()).solve(start);
    }

    public GammaSolution solve(double[] start) {
        int n = problem.size();
        double gammaMax = problem.maxGamma();
        List<String> unserved = Feasibility.unserved(problem);
        if (!unserved.isEmpty()) {
            return GammaSolution.infeasible(problem, unserved);
        }
        double[] gamma = new double[n];
        if (!(gammaMax > 0)) {
            // γ_max = 0 leaves nothing to move (and no interval to linearise b^min on): γ = 0 fits, as checked above.
            return new GammaSolution(gamma, problem.objective(gamma), Double.NaN, 0, List.of());
        }
        for (int k = 0; k < n; k++) {
            gamma[k] = Math.min(Math.max(start[k], 0), gammaMax);
        }
        double penalty = settings.initialPenalty();
        double tau = 1;
        double objective = problem.objective(gamma);
        double merit = merit(gamma, penalty);
        int iteration = 0;
        for (; iteration < settings.maxIterations(); iteration++) {
            linearise(gamma);
            double[] candidate = surrogateStep(gamma, penalty, tau);
            double candidateMerit = merit(candidate, penalty);
            if (candidateMerit < merit - 1e-15) {
                double candidateObjective = problem.objective(candidate);
                boolean settled = Math.abs(candidateObjective - objective) < settings.tolerance() * Math.abs(objective)
                        && bandSum(candidate) <= problem.bandwidthHz();
                gamma = candidate;
                objective = candidateObjective;
                tau = Math.max(tau / 2, 1e-3);
                penalty = Math.min(penalty * settings.penaltyGrowth(), 1e12);
                merit = merit(gamma, penalty);
                if (settled) {
                    break;
                }
            } else {
                tau *= 4;
                if (tau > 1e12) {
                    break; // no descent left at any step length: a stationary point
                }
                penalty = Math.min(penalty * settings.penaltyGrowth(), 1e12);
                merit = merit(gamma, penalty);
            }
        }
        gamma = repair(gamma);
        return new GammaSolution(gamma, problem.objective(gamma), Double.NaN, iteration + 1, List.of());
    }

    private double bandSum(double[] gamma) {
        double sum = 0;
        for (int k = 0; k < gamma.length; k++) {
            sum += problem.minimumBandwidth(k, gamma[k]);
        }
        return sum;
    }

    private double merit(double[] gamma, double penalty) {
        return problem.objective(gamma) + penalty * Math.max(0, bandSum(gamma) - problem.bandwidthHz()) / problem.bandwidthHz();
    }

    /** b^min and its slope at the current point; an unservable γ counts as twice the band, falling towards γ_max. */
    private void linearise(double[] gamma) {
        double bandwidth = problem.bandwidthHz();
        double h = 1e-4;
        for (int k = 0; k < gamma.length; k++) {
            double here = cap(problem.minimumBandwidth(k, gamma[k]));
            double up = Math.min(gamma[k] + h, problem.maxGamma());
            double down = Math.max(gamma[k] - h, 0);
            double slope = (cap(problem.minimumBandwidth(k, up)) - cap(problem.minimumBandwidth(k, down))) / (up - down);
            if (here >= 2 * bandwidth && slope >= 0) {
                slope = -2 * bandwidth / problem.maxGamma();
            }
            band[k] = here;
            bandSlope[k] = slope;
        }
    }

    private double cap(double value) {
        return Math.min(value, 2 * problem.bandwidthHz());
    }

    /**
     * Exact solution of the surrogate: min Σ [G'_k d_k + (τ/2) d_k²] + c s subject to
     * Σ (b_k + β_k d_k) ≤ B + s, s ≥ 0, 0 ≤ γ_k + d_k ≤ γ_max, in units of the band.
     */
    private double[] surrogateStep(double[] gamma, double penalty, double tau) {
        int n = gamma.length;
        double[] slope = new double[n];
        for (int k = 0; k < n; k++) {
            slope[k] = problem.deviceSlope(k, gamma[k]);
        }
        double lo = 0;
        double hi = penalty;
        if (violation(gamma, slope, 0, tau) > 0) {
            if (violation(gamma, slope, penalty, tau) <= 0) {
                for (int i = 0; i < 100; i++) {
                    double mid = 0.5 * (lo + hi);
                    if (violation(gamma, slope, mid, tau) > 0) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
            }
        } else {
            hi = 0;
        }
        double[] next = new double[n];
        for (int k = 0; k < n; k++) {
            next[k] = gamma[k] + step(gamma[k], slope[k], bandSlope[k] / problem.bandwidthHz(), hi, tau);
        }
        return next;
    }

    private double step(double gamma, double slope, double bandSlope, double multiplier, double tau) {
        double d = -(slope + multiplier * bandSlope) / tau;
        return Math.min(Math.max(d, -gamma), problem.maxGamma() - gamma);
    }

    private double violation(double[] gamma, double[] slope, double multiplier, double tau) {
        double sum = -problem.bandwidthHz();
        for (int k = 0; k < gamma.length; k++) {
            double d = step(gamma[k], slope[k], bandSlope[k] / problem.bandwidthHz(), multiplier, tau);
            sum += band[k] + bandSlope[k] * d;
        }
        return sum;
    }

    /**
     * Makes the result feasible if the last steps left the band slightly over: raises γ of the device
     * that frees the most band per unit of objective, a little at a time.
     */
    private double[] repair(double[] gamma) {
        double[] fixed = gamma.clone();
        for (int guard = 0; guard < 100_000 && bandSum(fixed) > problem.bandwidthHz(); guard++) {
            int best = -1;
            double bestRatio = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < fixed.length; k++) {
                double up = Math.min(fixed[k] + 1e-3, problem.maxGamma());
                if (up <= fixed[k]) {
                    continue;
                }
                double freed = cap(problem.minimumBandwidth(k, fixed[k])) - cap(problem.minimumBandwidth(k, up));
                double cost = problem.deviceObjective(k, up) - problem.deviceObjective(k, fixed[k]);
                double ratio = freed / Math.max(cost, 1e-12);
                if (freed > 0 && ratio > bestRatio) {
                    bestRatio = ratio;
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            fixed[best] = Math.min(fixed[best] + 1e-3, problem.maxGamma());
        }
        return fixed;
    }
}
