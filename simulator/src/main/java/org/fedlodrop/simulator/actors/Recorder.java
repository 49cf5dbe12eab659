package org.fedlodrop.simulator.actors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.reports.records.RunSummary;

/**
 * Owns the run directory's record files. Records arrive from the {@link Clock} one step at a time,
 * already in deterministic order; the recorder only appends them. A write failure is kept and
 * reported at {@link Close} rather than crashing the simulation half-way.
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

    public record Committed(RunSummary summary) implements Closed {
    }

    public record WriteFailed(String reason) implements Closed {
    }

    private final Path directory;
    private final RunSummaryBuilder summary;
    private final RunProgress progress;
    private RunRecordWriter writer;
    private String failure;

    private Recorder(ActorContext<Command> context, Path directory, RunSummaryBuilder summary, RunProgress progress) {
        super(context);
        this.directory = directory;
        this.summary = summary;
        this.progress = progress;
        try {
            this.writer = new RunRecordWriter(directory);
        } catch (IOException e) {
            this.failure = "cannot create the run files in " + directory + ": " + e.getMessage();
        }
    }

    public static Behavior<Command> create(Path directory, RunSummaryBuilder summary, RunProgress progress) {
        return Behaviors.setup(context -> new Recorder(context, directory, summary, progress));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Write.class, this::onWrite)
                .onMessage(Close.class, this::onClose)
                .onMessage(Flush.class, this::onFlush)
                .build();
    }

    private Behavior<Command> onWrite(Write write) {
        for (RunRecord record : write.records()) {
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

    private Behavior<Command> onFlush(Flush flush) {
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
        RunSummary result = summary.build();
        if (failure == null) {
            try {
                writer.commit();
                AtomicFiles.write(directory.resolve(RunFiles.SUMMARY),
                        RunFormats.jsonDocument().writeValueAsBytes(result));
            } catch (IOException e) {
                failure = "cannot write to " + directory + ": " + e.getMessage();
            }
        }
        close.replyTo().tell(failure == null ? new Committed(result) : new WriteFailed(failure));
        return Behaviors.stopped();
    }
}
