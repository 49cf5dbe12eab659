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
        ExecutorService pool = runPool(slots);
        ActorSystem<Void> system = ActorSystem.create(guardian(slots, pool), ClusterNode.SYSTEM,
                ClusterNode.config(self, coordinator, ClusterNode.WORKER_ROLE));
        system.getWhenTerminated().whenComplete((done, error) -> pool.shutdownNow());
        return system;
    }

    private static Behavior<Void> guardian(int slots, ExecutorService pool) {
        return Behaviors.<Object>setup(context -> {
            for (int i = 0; i < slots; i++) {
                context.spawn(StudyWorker.create(pool), "worker-" + i);
            }
            context.spawn(RunHost.create(pool), "run-host");
            ActorRef<ClusterEvent.MemberRemoved> removed = context.messageAdapter(ClusterEvent.MemberRemoved.class, e -> e);
            Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
            return Behaviors.receive(Object.class)
                    .onMessage(ClusterEvent.MemberRemoved.class, event -> event.member().hasRole(ClusterNode.COORDINATOR_ROLE)
                            ? Behaviors.stopped() : Behaviors.same())
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
