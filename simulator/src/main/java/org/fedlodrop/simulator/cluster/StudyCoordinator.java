package org.fedlodrop.simulator.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.simulator.scenario.ScenarioWriter;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.study.StudyRunner;

/**
 * Spreads a study's pending runs over the {@link StudyWorker}s of the cluster: one run per idle
 * worker, its files written into the study directory as they arrive, the journal entry appended when
 * the last one has come. A worker that stops or whose member leaves or crashes is watched: its run goes
 * back to the front of the queue with a new attempt number, and whatever arrives for an old attempt is
 * dropped, so every run is journalled exactly once. results.csv is then built from the journal as in
 * a one-machine study, and is the same byte for byte.
 */
public final class StudyCoordinator extends AbstractBehavior<StudyCoordinator.Command> {

    public sealed interface Command permits FileChunk, RunDone, RunFailed, WorkersChanged, WorkerGone {
    }

    /** A piece of one file of a run directory; {@code first} starts the file afresh. */
    public record FileChunk(int point, long seed, int attempt, String path, boolean first, byte[] bytes)
            implements Command, ClusterSerializable {
    }

    /** Every file of the run has been sent. */
    public record RunDone(int point, long seed, int attempt, ActorRef<StudyWorker.Command> worker)
            implements Command, ClusterSerializable {
    }

    /** The run failed; a scenario that fails on one member fails on any, so the study stops. */
    public record RunFailed(int point, long seed, int attempt, String reason, ActorRef<StudyWorker.Command> worker)
            implements Command, ClusterSerializable {
    }

    private record WorkersChanged(Receptionist.Listing listing) implements Command {
    }

    private record WorkerGone(ActorRef<StudyWorker.Command> worker) implements Command {
    }

    private record Assignment(StudyRunner.PendingRun run, int attempt, ActorRef<StudyWorker.Command> worker) {
    }

    private final StudyRunner runner;
    private final Consumer<JournalEntry> finished;
    private final CompletableFuture<Void> completion;
    private final Deque<StudyRunner.PendingRun> queue;
    private final Set<ActorRef<StudyWorker.Command>> known = new HashSet<>();
    private final Set<ActorRef<StudyWorker.Command>> idle = new LinkedHashSet<>();
    private final Map<String, Assignment> inFlight = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();

    private StudyCoordinator(ActorContext<Command> context, StudyRunner runner, List<StudyRunner.PendingRun> pending,
                             Consumer<JournalEntry> finished, CompletableFuture<Void> completion) {
        super(context);
        this.runner = runner;
        this.finished = finished;
        this.completion = completion;
        this.queue = new ArrayDeque<>(pending);
        context.getSystem().receptionist().tell(Receptionist.subscribe(StudyWorker.KEY,
                context.messageAdapter(Receptionist.Listing.class, WorkersChanged::new)));
    }

    /**
     * @param finished   hears of each run as it is journalled
     * @param completion completed when every run is journalled, or exceptionally when one failed
     */
    public static Behavior<Command> create(StudyRunner runner, List<StudyRunner.PendingRun> pending,
                                           Consumer<JournalEntry> finished, CompletableFuture<Void> completion) {
        return Behaviors.setup(context -> {
            if (pending.isEmpty()) {
                completion.complete(null);
                return Behaviors.stopped();
            }
            return new StudyCoordinator(context, runner, pending, finished, completion);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(WorkersChanged.class, this::onWorkersChanged)
                .onMessage(WorkerGone.class, this::onWorkerGone)
                .onMessage(FileChunk.class, this::onChunk)
                .onMessage(RunDone.class, this::onRunDone)
                .onMessage(RunFailed.class, this::onRunFailed)
                .build();
    }

    private Behavior<Command> onWorkersChanged(WorkersChanged changed) {
        Set<ActorRef<StudyWorker.Command>> listed = changed.listing().getServiceInstances(StudyWorker.KEY);
        for (ActorRef<StudyWorker.Command> worker : listed) {
            if (known.add(worker)) {
                getContext().watchWith(worker, new WorkerGone(worker));
                idle.add(worker);
            }
        }
        idle.retainAll(listed);
        return dispatch();
    }

    private Behavior<Command> onWorkerGone(WorkerGone gone) {
        idle.remove(gone.worker());
        for (Assignment assignment : List.copyOf(inFlight.values())) {
            if (assignment.worker().equals(gone.worker())) {
                // Its run starts again elsewhere under a new attempt; late pieces of this one are ignored.
                inFlight.remove(assignment.run().directoryName());
                queue.addFirst(assignment.run());
                getContext().getLog().info("worker {} left; run {} is reassigned", gone.worker(),
                        assignment.run().directoryName());
            }
        }
        return dispatch();
    }

    private Behavior<Command> dispatch() {
        while (!idle.isEmpty() && !queue.isEmpty()) {
            ActorRef<StudyWorker.Command> worker = idle.iterator().next();
            idle.remove(worker);
            StudyRunner.PendingRun run = queue.pollFirst();
            int attempt = attempts.merge(run.directoryName(), 1, Integer::sum);
            try {
                runner.freshRunDirectory(run.point(), run.seed());
            } catch (IOException e) {
                return fail("cannot prepare the run directory " + run.directoryName() + ": " + e.getMessage());
            }
            LoadedScenario scenario;
            try {
                // Loaded as it is sent, so the coordinator holds no more scenarios than runs in flight.
                scenario = run.load();
            } catch (ScenarioException e) {
                return fail("run " + run.directoryName() + ": " + e.getMessage());
            }
            inFlight.put(run.directoryName(), new Assignment(run, attempt, worker));
            worker.tell(new StudyWorker.RunPoint(run.point(), run.seed(), attempt,
                    ClusterNode.resolvedSource(scenario.source()),
                    ScenarioWriter.yaml(scenario.scenario()), getContext().getSelf()));
        }
        return this;
    }

    private boolean current(int point, long seed, int attempt) {
        Assignment assignment = inFlight.get(StudyRunner.directoryName(point, seed));
        return assignment != null && assignment.attempt() == attempt;
    }

    private Behavior<Command> onChunk(FileChunk chunk) {
        if (!current(chunk.point(), chunk.seed(), chunk.attempt())) {
            return this;
        }
        Path directory = runner.directory(chunk.point(), chunk.seed());
        Path file = directory.resolve(chunk.path()).normalize();
        if (!file.startsWith(directory)) {
            return fail("a worker sent a file outside its run directory: " + chunk.path());
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, chunk.bytes(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    chunk.first() ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
        } catch (IOException e) {
            return fail("cannot write " + file + ": " + e.getMessage());
        }
        return this;
    }

    private Behavior<Command> onRunDone(RunDone done) {
        if (!current(done.point(), done.seed(), done.attempt())) {
            return this;
        }
        inFlight.remove(StudyRunner.directoryName(done.point(), done.seed()));
        try {
            finished.accept(runner.journal(done.point(), done.seed()));
        } catch (IOException e) {
            return fail("cannot journal " + StudyRunner.directoryName(done.point(), done.seed()) + ": " + e.getMessage());
        }
        if (known.contains(done.worker())) {
            idle.add(done.worker());
        }
        if (queue.isEmpty() && inFlight.isEmpty()) {
            completion.complete(null);
            return Behaviors.stopped();
        }
        return dispatch();
    }

    private Behavior<Command> onRunFailed(RunFailed failed) {
        if (!current(failed.point(), failed.seed(), failed.attempt())) {
            return this;
        }
        return fail("run " + StudyRunner.directoryName(failed.point(), failed.seed()) + " failed on "
                + failed.worker().path().address() + ": " + failed.reason());
    }

    private Behavior<Command> fail(String reason) {
        completion.completeExceptionally(new IllegalStateException(reason));
        return Behaviors.stopped();
    }
}
