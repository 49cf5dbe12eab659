package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.study.RunRounds;

/**
 * A study's rounds as plain lines where no progress bar can be drawn (a log file, nohup): a study of hour-long
 * runs otherwise prints nothing until its first run ends. At most one line every {@code every} for the whole study,
 * so a study of many short runs prints no more than it did; each line names the run, its round and the time since
 * the study began.
 */
final class StudyRoundsLog implements RunRounds {
    /** A line at most this often. */
    static final Duration EVERY = Duration.ofMinutes(1);

    private final PrintWriter err;
    private final long everyNanos;
    private final LongSupplier nanoClock;
    private final long startedNanos;
    private long lastLineNanos;

    StudyRoundsLog(PrintWriter err, Duration every, LongSupplier nanoClock) {
        this.err = err;
        this.everyNanos = every.toNanos();
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong();
        this.lastLineNanos = startedNanos;
    }

    @Override
    public synchronized void roundFinished(String run, int rounds, RoundRecord round) {
        long now = nanoClock.getAsLong();
        if (now - lastLineNanos < everyNanos) {
            return;
        }
        lastLineNanos = now;
        long seconds = (now - startedNanos) / 1_000_000_000L;
        err.printf("%s: round %d of %d done, %d min %02d s into the study%n", run, round.round() + 1, rounds,
                seconds / 60, seconds % 60);
        err.flush();
    }
}
