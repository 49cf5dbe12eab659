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
     * As {@link #plan(int, int, int[], double[], double)}, device i downloading, besides its sub-adapter,
     * {@code residualBits[i]} bits of the W0 change that {@code exact} aggregation folded: what the base station will
     * send, known when it plans (the updates the round before aggregated; in a buffered run those of the steps since
     * the device last started, docs/buffered.md). Without them the planner provisions for the most there can be.
     * A planner that does not price downloads ignores them.
     */
    default RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz, double[] residualBits) {
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
