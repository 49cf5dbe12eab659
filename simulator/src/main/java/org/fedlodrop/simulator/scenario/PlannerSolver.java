package org.fedlodrop.simulator.scenario;

/** Planners of {@code planner.solver} (docs/model.md §5). */
public enum PlannerSolver {
    /** Branch and bound every round: the certified global optimum of P. */
    BNB,
    /** Branch and bound on the first round, then penalised SCA each round, warm-started. */
    PSCA,
    /** γ = 0 for all, resources optimised. */
    NO_DROPOUT,
    /** The given {@code dropout.rate} for all, resources optimised. */
    FIXED,
    /** The given {@code dropout.rate} for all, equal bandwidth B/K, P_max and f_max. */
    UNIFORM,
    /** γ drawn uniformly from [0, γ_max] for each device and round, resources optimised. */
    RANDOM
}
