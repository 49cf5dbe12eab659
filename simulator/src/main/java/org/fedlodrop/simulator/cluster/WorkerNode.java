package org.fedlodrop.simulator.cluster;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * A cluster member that takes study runs ({@code fedlodrop worker}): {@code slots} {@link StudyWorker}s
 * and a pool to run them on, and a {@link RunHost} for the devices of sharded runs. It stops when the coordinator leaves (the study is over) or when the
 * cluster downs it (cut off from the coordinator); the actor system then terminates.
 */
public final class WorkerNode {
    private WorkerNode() {
    }

    public static ActorSystem<Void> start(MemberAddress self, MemberAddress coordinator, int slots) {
        return start(self, coordinator, slots, java.util.Optional.empty(), refused -> { });
    }

    /**
     * As above; with keys, over mutual TLS. A member refused at the handshake of its first connection to the
     * coordinator (other keys) stops, and {@code refused} hears why.
     */
    public static ActorSystem<Void> start(MemberAddress self, MemberAddress coordinator, int slots,
                                          java.util.Optional<ClusterKeys> keys,
                                          java.util.function.Consumer<ClusterTlsEngine.Refused> refused) {
        ExecutorService pool = runPool(slots);
        ActorSystem<Void> system = ActorSystem.create(guardian(slots, pool, refused), ClusterNode.SYSTEM,
                ClusterNode.config(self, coordinator, ClusterNode.WORKER_ROLE, keys));
        system.getWhenTerminated().whenComplete((done, error) -> pool.shutdownNow());
        return system;
    }

    private static Behavior<Void> guardian(int slots, ExecutorService pool,
                                           java.util.function.Consumer<ClusterTlsEngine.Refused> refused) {
        return Behaviors.<Object>setup(context -> {
            // A TLS refusal before this member is up: it holds other keys than the coordinator; it will never join.
            context.getSystem().classicSystem().eventStream().subscribe(
                    org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(context.getSelf()), ClusterTlsEngine.Refused.class);
            for (int i = 0; i < slots; i++) {
                context.spawn(StudyWorker.create(pool), "worker-" + i);
            }
            context.spawn(RunHost.create(pool), "run-host");
            ActorRef<ClusterEvent.MemberRemoved> removed = context.messageAdapter(ClusterEvent.MemberRemoved.class, e -> e);
            Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
            return Behaviors.receive(Object.class)
                    .onMessage(ClusterEvent.MemberRemoved.class, event -> event.member().hasRole(ClusterNode.COORDINATOR_ROLE)
                            ? Behaviors.stopped() : Behaviors.same())
                    .onMessage(ClusterTlsEngine.Refused.class, event -> {
                        boolean up = Cluster.get(context.getSystem()).selfMember().status()
                                == org.apache.pekko.cluster.MemberStatus.up();
                        if (up) {
                            return Behaviors.same(); // a stranger refused while this member works: not its own failure
                        }
                        refused.accept(event);
                        return Behaviors.stopped();
                    })
                    .build();
        }).narrow();
    }

    /** Threads for runs: daemons, so that a member stopped mid-run does not keep the JVM alive. */
    static ExecutorService runPool(int threads) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "fedlodrop-study-run");
            thread.setDaemon(true);
            return thread;
        });
    }
}
