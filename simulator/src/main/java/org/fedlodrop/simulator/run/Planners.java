package org.fedlodrop.simulator.run;

import org.fedlodrop.simulator.actors.ActorIds;
import org.fedlodrop.simulator.actors.RunSetup;
import org.fedlodrop.simulator.planning.CellProblems;
import org.fedlodrop.simulator.planning.OptimisingPlanner;
import org.fedlodrop.simulator.planning.RatePlanner;
import org.fedlodrop.simulator.planning.RoundPlanner;
import org.fedlodrop.simulator.planning.UniformPlanner;
import org.fedlodrop.simulator.scenario.Scenario;

/** The planner that {@code planner.solver} names. */
public final class Planners {
    private Planners() {
    }

    public static RoundPlanner of(RunSetup setup) {
        Scenario scenario = setup.scenario();
        CellProblems problems = new CellProblems(scenario, setup.profile(), setup.fleet(), setup.radio());
        return switch (scenario.planner().solver()) {
            case BNB -> new OptimisingPlanner(false, problems, scenario.planner().relativeGap());
            case PSCA -> new OptimisingPlanner(true, problems, scenario.planner().relativeGap());
            case NO_DROPOUT -> RatePlanner.noDropout(problems);
            case FIXED -> RatePlanner.fixed(problems, scenario.dropout().rate());
            case UNIFORM -> new UniformPlanner(scenario.dropout().rate(), problems);
            case RANDOM -> RatePlanner.random(problems, setup.streams().stream(ActorIds.PLANNER, "random-rates"),
                    scenario.dropout().maxRate());
        };
    }
}
