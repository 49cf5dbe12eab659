package org.fedlodrop.simulator.scenario;

/** Planners of {@code planner.solver} (MODEL.md §5). */
public enum PlannerSolver {
    /** The given {@code dropout.rate} for all, equal bandwidth B/K, P_max and f_max. */
    UNIFORM
}
