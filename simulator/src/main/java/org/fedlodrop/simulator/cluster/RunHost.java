package org.fedlodrop.simulator.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.actors.Device;
import org.fedlodrop.simulator.learning.TrainingCohorts;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;

/**
 * On every cluster member: makes the member able to host device actors of a sharded run. Sent the
 * run's resolved scenario and its clock, it builds the same {@link RunSetup} as every other member
 * (it follows from the scenario and seed alone) and starts the run's shard region, whose entities are
 * {@link Device}s that register with that clock.
 */
public final class RunHost extends AbstractBehavior<RunHost.Command> {
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "fedlodrop-run-host");

    public sealed interface Command permits PrepareRun {
    }

    public record PrepareRun(String runId, String source, String scenarioYaml, ActorRef<Clock.Command> clock,
                             ActorRef<Prepared> replyTo) implements Command, ClusterSerializable {
    }

    /** The member's shard region for the run is up; {@code failure} is null unless it could not be. */
    public record Prepared(String runId, String member, String failure) implements ClusterSerializable {
    }

    private final Executor trainingPool;

    private RunHost(ActorContext<Command> context, Executor trainingPool) {
        super(context);
        this.trainingPool = trainingPool;
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    }

    public static Behavior<Command> create(Executor trainingPool) {
        return Behaviors.setup(context -> new RunHost(context, trainingPool));
    }

    /** The entity type of one run's devices; entity ids are device indices. */
    public static EntityTypeKey<Device.Command> devices(String runId) {
        return EntityTypeKey.create(Device.Command.class, "fedlodrop-devices-" + runId);
    }

    /** Shards of whole cohort blocks: devices that may train together always live on one member. */
    static final int SHARDS = 1000;

    /** One run's device entities, placed by cohort block ({@link TrainingCohorts#block}). */
    static Entity<Device.Command, ShardingEnvelope<Device.Command>> deviceEntity(
            String runId, int block, org.apache.pekko.japi.function.Function<EntityContext<Device.Command>,
            Behavior<Device.Command>> create) {
        return Entity.of(devices(runId), create).withMessageExtractor(new ShardingMessageExtractor<>() {
            @Override
            public String entityId(ShardingEnvelope<Device.Command> envelope) {
                return envelope.entityId();
            }

            @Override
            public String shardId(String entityId) {
                return Integer.toString(TrainingCohorts.block(Integer.parseInt(entityId), block) % SHARDS);
            }

            @Override
            public Device.Command unwrapMessage(ShardingEnvelope<Device.Command> envelope) {
                return envelope.message();
            }
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(PrepareRun.class, this::onPrepare).build();
    }

    private Behavior<Command> onPrepare(PrepareRun prepare) {
        String member = getContext().getSystem().address().toString();
        try {
            LoadedScenario loaded = ScenarioLoader.parse(prepare.source(),
                    prepare.scenarioYaml().getBytes(StandardCharsets.UTF_8), List.of());
            RunSetup setup = RunSetup.of(loaded);
            if (setup.learning().isPresent()) {
                // As on the coordinator: local training's results do not depend on the machine's cores.
                org.fedlodrop.models.net.OperationThreads.pinToOne();
            }
            int block = setup.scenario().training().cohort();
            TrainingCohorts cohorts = new TrainingCohorts(trainingPool, block);
            ClusterSharding.get(getContext().getSystem()).init(deviceEntity(prepare.runId(), block,
                    entity -> Device.create(setup, Integer.parseInt(entity.getEntityId()), prepare.clock(), cohorts)));
            prepare.replyTo().tell(new Prepared(prepare.runId(), member, null));
        } catch (Exception e) {
            prepare.replyTo().tell(new Prepared(prepare.runId(), member, String.valueOf(e.getMessage())));
        }
        return this;
    }
}
