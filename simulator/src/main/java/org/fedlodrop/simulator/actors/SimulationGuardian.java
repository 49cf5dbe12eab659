package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.Phase;

import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.planning.RoundPlanner;

/**
 * The root of one run: spawns the recorder, the clock and the simulated actors, starts the clock,
 * and completes the run's future once the recorder has committed the files. Any actor that fails
 * fails the run, instead of leaving the clock waiting for an acknowledgement forever.
 */
final class SimulationGuardian extends AbstractBehavior<SimulationGuardian.Command> {

    sealed interface Command permits ClockDone, RecorderDone, RecorderFlushed, FlushTimedOut {
    }

    /** The recorder has written what it was sent before the run failed. */
    private record RecorderFlushed(Recorder.Flushed flushed) implements Command {
    }

    private enum FlushTimedOut implements Command {
        INSTANCE
    }

    private record ClockDone(Clock.Outcome outcome) implements Command {
    }

    private record RecorderDone(Recorder.Closed closed) implements Command {
    }

    /** How a run ended. */
    sealed interface Result permits Completed, Aborted {
    }

    record Completed(RunSummary summary, Clock.Finished clock, CheckpointCost checkpoints) implements Result {
    }

    record Aborted(String reason, Throwable cause) implements Result {
    }

    private final CompletableFuture<Result> result;
    private final ActorRef<Recorder.Command> recorder;
    private Clock.Finished finished;
    /** A failure waiting for the recorder to write what came before it. */
    private Aborted aborting;

    private SimulationGuardian(ActorContext<Command> context, RunSetup setup, RoundPlanner planner, Path directory,
                               RunProgress progress, Clock.Trace trace, Executor trainingPool, Simulation.Host host,
                               CompletableFuture<Result> result) {
        super(context);
        this.result = result;
        RunSummaryBuilder summary = new RunSummaryBuilder(setup.scenario().name(), setup.scenario().seed(),
                setup.deviceCount());
        recorder = context.spawn(Recorder.create(directory, summary, progress, setup.resume()), "recorder");
        context.watch(recorder);

        Set<String> ids = new LinkedHashSet<>(List.of(ActorIds.BASE_STATION, ActorIds.CHANNEL, ActorIds.PLANNER));
        for (int k = 0; k < setup.deviceCount(); k++) {
            ids.add(ActorIds.device(k));
        }
        ActorRef<Clock.Command> clock = context.spawn(Clock.create(ids,
                records -> recorder.tell(new Recorder.Write(records)), trace, host.synchronisation()), "clock");
        context.watch(clock);
        context.watch(context.spawn(BaseStation.create(setup, clock, trainingPool), ActorIds.BASE_STATION));
        context.watch(context.spawn(Channel.create(setup, clock), ActorIds.CHANNEL));
        context.watch(context.spawn(Planner.create(planner, clock, trainingPool), ActorIds.PLANNER));
        host.devices().start(context, setup, clock, trainingPool);
        ScheduledEvent first = new ScheduledEvent(0, Phase.ROUND_START.ordinal(), BaseStation.TARGET.id(),
                ActorIds.SETUP, 0, BaseStation.firstRound());
        clock.tell(new Clock.Start(List.of(first), context.messageAdapter(Clock.Outcome.class, ClockDone::new)));
    }

    static Behavior<Command> create(RunSetup setup, RoundPlanner planner, Path directory, RunProgress progress,
                                    Clock.Trace trace, Executor trainingPool, Simulation.Host host,
                                    CompletableFuture<Result> result) {
        return Behaviors.setup(context -> new SimulationGuardian(context, setup, planner, directory, progress, trace,
                trainingPool, host, result));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ClockDone.class, this::onClockDone)
                .onMessage(RecorderDone.class, this::onRecorderDone)
                .onMessage(RecorderFlushed.class, flushed -> aborted())
                .onMessage(FlushTimedOut.class, timedOut -> aborted())
                .onSignal(ChildFailed.class, this::onChildFailed)
                // The clock and the recorder stop by themselves when done; that is no failure.
                .onSignal(Terminated.class, terminated -> this)
                .build();
    }

    private Behavior<Command> onClockDone(ClockDone done) {
        if (done.outcome() instanceof Clock.Failed failed) {
            return abort(failed.reason(), null);
        }
        finished = (Clock.Finished) done.outcome();
        recorder.tell(new Recorder.Close(getContext().messageAdapter(Recorder.Closed.class, RecorderDone::new)));
        return this;
    }

    private Behavior<Command> onRecorderDone(RecorderDone done) {
        if (done.closed() instanceof Recorder.Committed committed) {
            result.complete(new Completed(committed.summary(), finished, committed.checkpoints()));
            return Behaviors.stopped();
        }
        return abort(((Recorder.WriteFailed) done.closed()).reason(), null);
    }

    private Behavior<Command> onChildFailed(ChildFailed failed) {
        if (failed.getRef().equals(recorder)) {
            result.complete(new Aborted("actor recorder failed: " + failed.getCause(), failed.getCause()));
            return Behaviors.stopped();
        }
        return abort("actor " + failed.getRef().path().name() + " failed: " + failed.getCause(), failed.getCause());
    }

    /**
     * Fails the run once the recorder has written the rows and events it was sent before the failure (its mailbox
     * keeps their order), so that the rounds that finished are in the files; at most 10 s.
     */
    private Behavior<Command> abort(String reason, Throwable cause) {
        if (aborting != null) {
            return this;
        }
        aborting = new Aborted(reason, cause);
        recorder.tell(new Recorder.Flush(getContext().messageAdapter(Recorder.Flushed.class, RecorderFlushed::new)));
        getContext().scheduleOnce(java.time.Duration.ofSeconds(10), getContext().getSelf(), FlushTimedOut.INSTANCE);
        return this;
    }

    private Behavior<Command> aborted() {
        result.complete(aborting);
        return Behaviors.stopped();
    }
}
