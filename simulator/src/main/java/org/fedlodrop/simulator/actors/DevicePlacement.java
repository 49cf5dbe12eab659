package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;

import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.learning.TrainingCohorts;

import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Where a run's device actors live. Each registers with the clock when it starts, so the clock
 * protocol is the same wherever they are: children of the run's guardian ({@link #LOCAL}), or
 * entities spread over cluster members by Cluster Sharding.
 */
public interface DevicePlacement {

    /** Starts every device actor of the run; a failure to do so must fail the run, not leave the clock waiting. */
    void start(ActorContext<?> guardian, RunSetup setup, ActorRef<Clock.Command> clock, Executor trainingPool);

    /** Every device a child of the guardian, which watches it. */
    DevicePlacement LOCAL = (guardian, setup, clock, trainingPool) -> {
        TrainingCohorts cohorts = new TrainingCohorts(trainingPool, setup.scenario().training().cohort());
        for (int k = 0; k < setup.deviceCount(); k++) {
            guardian.watch(guardian.spawn(Device.create(setup, k, clock, cohorts), ActorIds.device(k)));
        }
    };
}
