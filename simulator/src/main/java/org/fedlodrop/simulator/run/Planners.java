package org.fedlodrop.simulator.run;

import org.fedlodrop.simulator.actors.RunSetup;
import org.fedlodrop.simulator.planning.RoundPlanner;
import org.fedlodrop.simulator.planning.UniformPlanner;
import org.fedlodrop.simulator.scenario.Scenario;

/** The planner that {@code planner.solver} names. */
public final class Planners {
    private Planners() {
    }

    public static RoundPlanner of(RunSetup setup) {
        Scenario scenario = setup.scenario();
        return switch (scenario.planner().solver()) {
            case UNIFORM -> new UniformPlanner(scenario.dropout().rate(), setup.radio().maxDevicePowerW(),
                    scenario.devices().cpuMaxHz());
        };
    }
}
