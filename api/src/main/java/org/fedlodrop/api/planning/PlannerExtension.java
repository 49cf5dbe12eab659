package org.fedlodrop.api.planning;

import org.fedlodrop.api.Extension;

/**
 * A planner, named by {@code planner.solver} with its settings under {@code planner.settings}: it chooses
 * each device's dropout rate and radio resources, cell by cell and round by round (docs/model.md §5).
 *
 * @param <S> its settings record
 */
public interface PlannerExtension<S extends Record> extends Extension<S> {
    /** A planner for one run; called once per run, before its first round. */
    CellPlanner build(S settings, PlannerContext context);
}
