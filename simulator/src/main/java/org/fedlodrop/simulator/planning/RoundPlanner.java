package org.fedlodrop.simulator.planning;

/** Chooses γ and resources for every device of a round from the channel state it is given. */
public interface RoundPlanner {
    String name();

    /** @param gains the channel power gains g_k the planner sees this round, by device */
    RoundPlan plan(int round, double[] gains);
}
