package org.fedlodrop.simulator.planning;

import org.fedlodrop.api.planning.CellPlanner;
import org.fedlodrop.api.planning.PlannerContext;
import org.fedlodrop.api.planning.PlannerExtension;
import org.fedlodrop.simulator.extension.BuiltIn;
import org.fedlodrop.simulator.extension.NoSettings;

/**
 * A planner of fedlodrop's own. It registers like any plugin (by {@link java.util.ServiceLoader} under
 * {@link PlannerExtension}, named by its type), but plans on the simulator's {@link PlanningProblem}
 * directly, so that its plans keep the solver's account (bound value, certified lower bound, iterations,
 * why devices were left out) that the API's {@link org.fedlodrop.api.planning.CellPlan} does not carry.
 */
public interface BuiltInPlanner extends PlannerExtension<NoSettings>, BuiltIn {
    RoundPlanner roundPlanner(CellProblems problems, PlannerContext context);

    /** Built-ins are built by {@link #roundPlanner}; this path is for plugins. */
    @Override
    default CellPlanner build(NoSettings settings, PlannerContext context) {
        throw new UnsupportedOperationException(type() + " is built into the simulator: use roundPlanner");
    }
}
