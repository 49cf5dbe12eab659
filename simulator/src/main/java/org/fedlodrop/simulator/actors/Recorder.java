package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedlodrop.simulator.resume.CheckpointWriter;
import org.fedlodrop.simulator.resume.ReplayedEvents;
import org.fedlodrop.simulator.resume.Resume;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.RunRecordWriter;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.ResumePoint;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.reports.records.RunSummary;

/**
 * Owns the run directory's record files. Records arrive from the {@link Clock} one step at a time,
 * already in deterministic order; the recorder only appends them. A write failure is kept and
 * reported at {@link Close} rather than crashing the simulation half-way.
 *
 * <p>At a {@link ResumePoint} it writes a checkpoint, every record before the point being in the files
 * (docs/checkpoints.md). In a resumed run it discards what the replayed rounds record until it reaches the
 * checkpoint's point, checking on the way that the replay wrote the very events the run had written, then
 * appends to the files cut back to the checkpoint's lengths.
 */
public final class Recorder extends AbstractBehavior<Recorder.Command> {

    public sealed interface Command permits Write, Close, Flush {
    }

    public record Write(List<RunRecord> records) implements Command {
    }

    /** Writes out what was appended so far (a failing run keeps its finished rounds), then answers. */
    public record Flush(ActorRef<Flushed> replyTo) implements Command {
    }

    public record Flushed() {
    }

    /** Commits the files and writes {@code summary.json}. */
    public record Close(ActorRef<Closed> replyTo) implements Command {
    }

    public sealed interface Closed permits Committed, WriteFailed {
    }

    /** @param checkpoints what writing checkpoints cost the run (wall-clock: the manifest's, never the files') */
    public record Committed(RunSummary summary, CheckpointCost checkpoints) implements Closed {
    }

    public record WriteFailed(String reason) implements Closed {
    }

    private final Path directory;
    private RunSummaryBuilder summary;
    private final RunProgress progress;
    /** In a resumed run, until its checkpoint's point: the replayed rounds' records are not written. */
    private Optional<Resume> replaying;
    /** What the replayed rounds' events would have written, to compare with what the run wrote. */
    private ReplayedEvents replayed;
    private RunRecordWriter writer;
    private String failure;
    private final CheckpointWriter checkpoints;
    /** Time this actor spent on checkpoints (flushing and counting the files); the writing is off its thread. */
    private long checkpointPauseNanos;

    private Recorder(ActorContext<Command> context, Path directory, RunSummaryBuilder summary, RunProgress progress,
                     Optional<Resume> resume) {
        super(context);
        this.directory = directory;
        this.summary = summary;
        this.progress = progress;
        this.replaying = resume.filter(r -> r.round() > 0);
        this.checkpoints = new CheckpointWriter(directory);
        try {
            if (replaying.isEmpty()) {
                this.writer = new RunRecordWriter(directory);
            } else {
                this.replayed = new ReplayedEvents();
            }
        } catch (IOException e) {
            this.failure = "cannot create the run files in " + directory + ": " + e.getMessage();
        }
    }

    public static Behavior<Command> create(Path directory, RunSummaryBuilder summary, RunProgress progress) {
        return create(directory, summary, progress, Optional.empty());
    }

    /** A recorder that goes on from {@code resume}'s checkpoint, when given. */
    public static Behavior<Command> create(Path directory, RunSummaryBuilder summary, RunProgress progress,
                                           Optional<Resume> resume) {
        return Behaviors.setup(context -> new Recorder(context, directory, summary, progress, resume));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Write.class, this::onWrite)
                .onMessage(Close.class, this::onClose)
                .onMessage(Flush.class, this::onFlush)
                // A run that fails stops the recorder without Close: its checkpoint thread goes too.
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, stop -> {
                    checkpoints.close();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onWrite(Write write) {
        for (RunRecord record : write.records()) {
            if (replaying.isPresent()) {
                replay(record);
                continue;
            }
            if (record instanceof ResumePoint point) {
                checkpoint(point);
                continue;
            }
            summary.accept(record);
            if (failure == null) {
                try {
                    writer.append(record);
                } catch (RuntimeException e) {
                    failure = "cannot write to " + directory + ": " + e.getMessage();
                }
            }
            if (record instanceof RoundRecord round) {
                if (failure == null) {
                    try {
                        // A round's rows end with its round record: a run that dies later keeps them (issue 29).
                        writer.flush();
                    } catch (RuntimeException e) {
                        failure = "cannot write to " + directory + ": " + e.getMessage();
                    }
                }
                progress.roundFinished(round);
            }
        }
        return this;
    }

    /** A replayed round's record: compared (events) and dropped, until the point the run resumes from. */
    private void replay(RunRecord record) {
        Resume resume = replaying.get();
        if (record instanceof EventRecord event) {
            replayed.add(event);
        } else if (record instanceof RoundRecord round) {
            progress.roundReplayed(round);
        } else if (record instanceof ResumePoint point && point.round() == resume.round()) {
            replaying = Optional.empty();
            long kept = resume.lengths().getOrDefault(RunFiles.EVENTS, 0L);
            String difference = replayed.differenceFrom(AtomicFiles.partOf(directory.resolve(RunFiles.EVENTS)), kept);
            if (difference != null) {
                // The replay is not the run: resuming would silently give another run.
                throw new IllegalStateException("the replay of rounds 0 to " + (resume.round() - 1) + " is not the run"
                        + " that wrote " + resume.from() + ": " + difference);
            }
            summary = new RunSummaryBuilder(resume.summary());
            try {
                writer = new RunRecordWriter(directory, resume.lengths());
            } catch (IOException e) {
                failure = "cannot go on writing the run files in " + directory + ": " + e.getMessage();
            }
        }
    }

    /** Everything recorded so far is in the files: forced to the disk, counted, and the checkpoint written. */
    private void checkpoint(ResumePoint point) {
        if (failure != null) {
            return;
        }
        long start = System.nanoTime();
        try {
            checkpoints.submit(point, writer.lengths(), summary.state());
            checkpointPauseNanos += System.nanoTime() - start;
        } catch (IOException | RuntimeException e) {
            failure = "cannot write the checkpoint of round " + point.round() + " in " + directory + ": " + e.getMessage();
        }
    }

    private Behavior<Command> onFlush(Flush flush) {
        if (replaying.isPresent()) {
            flush.replyTo().tell(new Flushed());
            return this;
        }
        if (failure == null) {
            try {
                writer.flush();
            } catch (RuntimeException e) {
                failure = "cannot write to " + directory + ": " + e.getMessage();
            }
        }
        flush.replyTo().tell(new Flushed());
        return this;
    }

    private Behavior<Command> onClose(Close close) {
        if (replaying.isPresent() && failure == null) {
            failure = "the run ended before its replay reached the checkpoint's round " + replaying.get().round();
        }
        RunSummary result = summary.build();
        try {
            checkpoints.finish();
        } catch (IOException e) {
            failure = failure != null ? failure : "cannot write a checkpoint in " + directory + ": " + e.getMessage();
        } finally {
            checkpoints.close();
        }
        if (failure == null) {
            try {
                writer.commit();
                AtomicFiles.write(directory.resolve(RunFiles.SUMMARY),
                        RunFormats.jsonDocument().writeValueAsBytes(result));
            } catch (IOException e) {
                failure = "cannot write to " + directory + ": " + e.getMessage();
            }
        }
        close.replyTo().tell(failure == null ? new Committed(result,
                new CheckpointCost(checkpoints.written(), checkpoints.seconds(), checkpointPauseNanos / 1e9)) : new WriteFailed(failure));
        return Behaviors.stopped();
    }
}
