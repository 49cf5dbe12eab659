package org.fedlodrop.simulator.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.actors.Device;

/**
 * Places a sharded run's devices: waits for {@code members} {@link RunHost}s, has each prepare the
 * run, waits until the shard coordinator knows every member's region (so that shards spread over all
 * of them), then sends each device its {@link Device.Activate}; the devices register with the clock,
 * which starts. Afterwards it watches the cluster: a member hosting devices that leaves or becomes
 * unreachable fails the run (its devices' state is gone), instead of the clock waiting forever.
 */
final class DevicePlacer extends AbstractBehavior<DevicePlacer.Command> {

    sealed interface Command permits HostsChanged, Ready, Stats, StatsTick, MemberLost {
    }

    private record HostsChanged(Receptionist.Listing listing) implements Command {
    }

    private record Ready(RunHost.Prepared prepared) implements Command {
    }

    private record Stats(ShardRegion.ClusterShardingStats stats) implements Command {
    }

    private enum StatsTick implements Command { INSTANCE }

    private record MemberLost(Address address, String how) implements Command {
    }

    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(5);

    private final ShardedDevices run;
    private final int devices;
    private final ActorRef<Clock.Command> clock;
    private final TimerScheduler<Command> timers;
    private final Set<ActorRef<RunHost.Command>> hosts = new HashSet<>();
    private final Set<String> prepared = new HashSet<>();
    private boolean asked;
    private boolean placed;
    /** Devices seen started at the last poll that found more than the one before, and polls since. */
    private int lastHosted = -1;
    private int pollsWithoutProgress;
    private ActorRef<ShardingEnvelope<Device.Command>> region;

    private DevicePlacer(ActorContext<Command> context, TimerScheduler<Command> timers, ShardedDevices run, int devices,
                         ActorRef<Clock.Command> clock) {
        super(context);
        this.timers = timers;
        this.run = run;
        this.devices = devices;
        this.clock = clock;
        context.getSystem().receptionist().tell(Receptionist.subscribe(RunHost.KEY,
                context.messageAdapter(Receptionist.Listing.class, HostsChanged::new)));
        Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
                context.messageAdapter(ClusterEvent.MemberRemoved.class, e -> new MemberLost(e.member().address(), "left")),
                ClusterEvent.MemberRemoved.class));
        Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
                context.messageAdapter(ClusterEvent.UnreachableMember.class,
                        e -> new MemberLost(e.member().address(), "became unreachable")),
                ClusterEvent.UnreachableMember.class));
        context.getLog().info("sharded run {}: waiting for {} members", run.runId(), run.members());
    }

    static Behavior<Command> create(ShardedDevices run, int devices, ActorRef<Clock.Command> clock) {
        return Behaviors.withTimers(timers -> Behaviors.setup(context -> new DevicePlacer(context, timers, run, devices, clock)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(HostsChanged.class, this::onHosts)
                .onMessage(Ready.class, this::onReady)
                .onMessage(StatsTick.class, tick -> askStats())
                .onMessage(Stats.class, this::onStats)
                .onMessage(MemberLost.class, this::onMemberLost)
                .build();
    }

    private Behavior<Command> onHosts(HostsChanged changed) {
        if (asked) {
            return this;
        }
        hosts.addAll(changed.listing().getServiceInstances(RunHost.KEY));
        if (hosts.size() < run.members()) {
            return this;
        }
        asked = true;
        ActorRef<RunHost.Prepared> replies = getContext().messageAdapter(RunHost.Prepared.class, Ready::new);
        hosts.stream().limit(run.members()).forEach(host ->
                host.tell(new RunHost.PrepareRun(run.runId(), run.source(), run.scenarioYaml(), clock, replies)));
        return this;
    }

    private Behavior<Command> onReady(Ready ready) {
        if (ready.prepared().failure() != null) {
            throw new IllegalStateException("member " + ready.prepared().member() + " could not prepare the run: "
                    + ready.prepared().failure());
        }
        prepared.add(ready.prepared().member());
        if (prepared.size() == run.members()) {
            region = ClusterSharding.get(getContext().getSystem()).init(RunHost.deviceEntity(run.runId(), run.block(),
                    entity -> { throw new IllegalStateException("the run host creates the devices"); }));
            return askStats();
        }
        return this;
    }

    /**
     * How often the shards are polled once the devices are activated: often, since a short run can end before the
     * placement is reported (ClusterCommandsTest caught a 2-round run doing so at 200 ms).
     */
    private static final Duration POLL = Duration.ofMillis(50);
    /** 30 s without a device more started is a stalled start. */
    private static final int STALL_POLLS = 600;

    private Behavior<Command> askStats() {
        ClusterSharding.get(getContext().getSystem()).shardState().tell(new GetClusterShardingStats(
                RunHost.devices(run.runId()), STATS_TIMEOUT, getContext().messageAdapter(ShardRegion.ClusterShardingStats.class, Stats::new)));
        return this;
    }

    private Behavior<Command> onStats(Stats stats) {
        Map<Address, ShardRegion.ShardRegionStats> regions = stats.stats().getRegions();
        if (!placed) {
            if (regions.size() < run.members()) {
                // Regions register with the shard coordinator asynchronously; shards go only to those it knows.
                timers.startSingleTimer(StatsTick.INSTANCE, Duration.ofMillis(100));
                return this;
            }
            placed = true;
            for (int k = 0; k < devices; k++) {
                region.tell(new ShardingEnvelope<>(Integer.toString(k), new Device.Activate()));
            }
            timers.startSingleTimer(StatsTick.INSTANCE, POLL);
            return this;
        }
        Map<String, Integer> perMember = new TreeMap<>();
        int hosted = 0;
        for (Map.Entry<Address, ShardRegion.ShardRegionStats> entry : regions.entrySet()) {
            int count = entry.getValue().getStats().values().stream().mapToInt(v -> ((Number) v).intValue()).sum();
            perMember.put(entry.getKey().toString(), count);
            hosted += count;
        }
        if (hosted < devices) {
            // Large runs take a while to start every entity; only a start that stalls is a failure.
            if (hosted > lastHosted) {
                lastHosted = hosted;
                pollsWithoutProgress = 0;
            } else if (++pollsWithoutProgress > STALL_POLLS) {
                throw new IllegalStateException("only " + hosted + " of " + devices + " devices started on the cluster,"
                        + " and none more for 30 s: " + perMember);
            }
            timers.startSingleTimer(StatsTick.INSTANCE, POLL);
            return this;
        }
        run.placement().accept(perMember);
        return this;
    }

    private Behavior<Command> onMemberLost(MemberLost lost) {
        if (asked) {
            throw new IllegalStateException("cluster member " + lost.address() + " " + lost.how()
                    + " during a sharded run; the devices it hosted are gone, so the run cannot go on");
        }
        return this;
    }
}
