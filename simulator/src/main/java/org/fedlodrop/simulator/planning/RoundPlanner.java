package org.fedlodrop.simulator.planning;

/** Chooses γ and resources for the devices of one cell in a round, from the channel state it is given. */
public interface RoundPlanner {
    String name();

    /**
     * @param devices     the cell's devices, by global index
     * @param gains       the channel power gains g_k the planner sees, in the order of {@code devices}
     * @param bandwidthHz the cell's band B, shared by FDMA
     */
    RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz);

    /**
     * As {@link #plan(int, int, int[], double[], double)}, each device downloading, besides its sub-adapter, the change
     * of W0 that {@code exact} aggregation made over {@code foldedSteps[i]} server steps (a buffered run's devices,
     * docs/buffered.md, each since the step it last started from); a synchronous round's devices download one round's.
     * A planner that does not price downloads ignores them.
     */
    default RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz, int[] foldedSteps) {
        return plan(round, cell, devices, gains, bandwidthHz);
    }

    /**
     * Whether {@link #plan} may run for different cells of one round at once, on different threads: true
     * only for a planner whose plan for a cell depends on nothing but the call and that cell's own earlier
     * plans. The planner actor then plans a round's cells side by side; the plans, and what is recorded,
     * are the same as one after another.
     */
    default boolean plansCellsIndependently() {
        return false;
    }
}
