package org.fedlodrop.api.planning;

/** Plans one cell for one round. Called on one thread, cell by cell within a round, rounds in order. */
@FunctionalInterface
public interface CellPlanner {
    /**
     * @return one decision per device of {@code round.devices()}, in the same order; a device given no
     *         bandwidth is left out of the round
     */
    CellPlan plan(CellRound round);
}
