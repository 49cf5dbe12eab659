package org.fedlodrop.simulator.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.study.StudyRunner;

/**
 * A study on Pekko Cluster: this process is the seed member and the coordinator, with
 * {@code localWorkers} slots of its own (0: it only coordinates); {@code fedlodrop worker} processes
 * join it and take runs. Ends when every run is journalled, then writes results.csv as a one-machine
 * study does.
 */
public final class ClusterStudy {
    private ClusterStudy() {
    }

    public static Path run(StudyRunner runner, MemberAddress bind, int localWorkers,
                           Consumer<JournalEntry> finished) throws Exception {
        return run(runner, bind, localWorkers, finished, java.util.Optional.empty());
    }

    /** @param keys the cluster's keys: members then talk mutual TLS, and only members with these keys join */
    public static Path run(StudyRunner runner, MemberAddress bind, int localWorkers, Consumer<JournalEntry> finished,
                           java.util.Optional<ClusterKeys> keys) throws Exception {
        List<StudyRunner.PendingRun> pending = runner.pending();
        CompletableFuture<Void> completion = new CompletableFuture<>();
        ExecutorService pool = WorkerNode.runPool(Math.max(1, localWorkers));
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.setup(context -> {
            context.spawn(StudyCoordinator.create(runner, pending, finished, completion), "coordinator");
            for (int i = 0; i < localWorkers; i++) {
                context.spawn(StudyWorker.create(pool), "worker-" + i);
            }
            return Behaviors.empty();
            }), ClusterNode.SYSTEM, ClusterNode.config(bind, bind, ClusterNode.COORDINATOR_ROLE, keys));
        } catch (RuntimeException e) {
            pool.shutdownNow();
            throw new UserInputException("--cluster " + bind + ": cannot listen there (" + ClusterNode.rootMessage(e) + ")");
        }
        system.getWhenTerminated().whenComplete((done, error) ->
                completion.completeExceptionally(new IllegalStateException("the coordinator's actor system stopped")));
        try {
            completion.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        return runner.finish();
    }
}
