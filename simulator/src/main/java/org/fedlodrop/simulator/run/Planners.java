package org.fedlodrop.simulator.run;

import org.fedlodrop.api.planning.CellPlanner;
import org.fedlodrop.api.planning.PlannerContext;
import org.fedlodrop.api.planning.PlannerExtension;
import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.extension.ExtensionFailure;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.planning.BuiltInPlanner;
import org.fedlodrop.simulator.planning.CellProblems;
import org.fedlodrop.simulator.planning.ExtensionPlanner;
import org.fedlodrop.simulator.planning.RoundPlanner;
import org.fedlodrop.simulator.scenario.ExtensionSpec;
import org.fedlodrop.simulator.scenario.Scenario;

/** The planner that {@code planner.solver} names, built-in or a plugin's, with its settings. */
public final class Planners {
    private Planners() {
    }

    public static RoundPlanner of(RunSetup setup) {
        Scenario scenario = setup.scenario();
        CellProblems problems = new CellProblems(scenario, setup.profile(), setup.fleet(), setup.radio());
        // Every planner gets the same stream; only those that draw (random, a plugin's) use it.
        PlannerContext context = new PlannerContext(scenario.dropout().rate(), scenario.dropout().maxRate(),
                setup.streams().stream(ActorIds.PLANNER, "random-rates"));
        Extensions.Registered registered = ExtensionSpec.registered(scenario, ExtensionKind.PLANNER, setup.extensions());
        if (registered.extension() instanceof BuiltInPlanner builtIn) {
            return builtIn.roundPlanner(problems, context);
        }
        CellPlanner planner = ExtensionFailure.built(registered, "planner", () -> build(
                (PlannerExtension<?>) registered.extension(),
                ExtensionSpec.bind(scenario, ExtensionKind.PLANNER, setup.extensions()), context));
        return new ExtensionPlanner(registered.type(), ExtensionFailure.name(registered), planner, problems);
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> CellPlanner build(PlannerExtension<S> extension, Record settings, PlannerContext context) {
        return extension.build((S) settings, context);
    }
}
