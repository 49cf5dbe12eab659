package org.fedlodrop.simulator.cluster;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.actors.DevicePlacement;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioWriter;

/**
 * Devices as Cluster Sharding entities spread over {@code members} cluster members (this one
 * included), whole cohort blocks to a member. Everything else of the run (clock, base station, channel,
 * planner, recorder) stays on this member, and every device still talks only to the clock; a device
 * trains its sub-adapters on the member that hosts it, with its block. The run's files are those of a
 * one-member run with the same seed.
 *
 * @param placement hears how many devices each member hosts, once they are all placed
 */
public record ShardedDevices(String runId, String source, String scenarioYaml, int members, int block,
                             Consumer<Map<String, Integer>> placement) implements DevicePlacement {

    /**
     * The host of a sharded run: this process is the cluster's seed member at {@code bind}, and the
     * devices spread over it and the next {@code members − 1} members to join.
     */
    public static Simulation.Host host(LoadedScenario loaded, MemberAddress bind, int members, int threads,
                                       Consumer<Map<String, Integer>> placement) {
        return host(loaded, bind, members, threads, placement, java.util.Optional.empty());
    }

    /** As above; with keys, over mutual TLS ({@link ClusterKeys}). */
    public static Simulation.Host host(LoadedScenario loaded, MemberAddress bind, int members, int threads,
                                       Consumer<Map<String, Integer>> placement, java.util.Optional<ClusterKeys> keys) {
        return new Simulation.Host(ClusterNode.SYSTEM, ClusterNode.config(bind, bind, ClusterNode.COORDINATOR_ROLE, keys)
                .withFallback(Simulation.config(threads)), of(loaded, members, placement));
    }

    /**
     * Whether the scenario learns with {@code exact} aggregation, which folds W0 on the server every round while
     * devices on other members train on their member's own copy of the base: such a run cannot be sharded.
     */
    public static boolean foldsBaseOnServer(org.fedlodrop.simulator.scenario.Scenario scenario) {
        return scenario.data().workload() != org.fedlodrop.simulator.scenario.Workload.NONE
                && scenario.dropout().aggregation().equals(org.fedlodrop.simulator.learning.BuiltInAggregations.EXACT);
    }

    public static ShardedDevices of(LoadedScenario loaded, int members, Consumer<Map<String, Integer>> placement) {
        if (foldsBaseOnServer(loaded.scenario())) {
            // The run would silently differ from the local one (run --cluster refuses it for the user).
            throw new IllegalArgumentException("a sharded learning run cannot aggregate exactly: W0 is folded on the"
                    + " server and members keep their own base");
        }
        return new ShardedDevices(UUID.randomUUID().toString(), ClusterNode.resolvedSource(loaded.source()),
                ScenarioWriter.yaml(loaded.scenario()), members, loaded.scenario().training().cohort(), placement);
    }

    @Override
    public void start(ActorContext<?> guardian, RunSetup setup, ActorRef<Clock.Command> clock, Executor trainingPool) {
        guardian.spawn(RunHost.create(trainingPool), "run-host");
        // Watched: if placing the devices fails, or a member that hosts some leaves, the run fails.
        guardian.watch(guardian.spawn(DevicePlacer.create(this, setup.deviceCount(), clock), "device-placer"));
    }
}
