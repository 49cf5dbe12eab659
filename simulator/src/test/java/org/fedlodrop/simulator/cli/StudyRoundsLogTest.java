package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.fedlodrop.reports.records.RoundRecord;
import org.junit.jupiter.api.Test;

class StudyRoundsLogTest {
    private static RoundRecord round(int index) {
        return new RoundRecord(index, 0, 1, 1, 0, 3, 3, 0, 0, 0.5, 30, Double.NaN, Double.NaN, 1, 0, 0,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** At most one line a minute for the whole study, the first a minute in, each naming its run and round. */
    @Test
    void printsAtMostOneLineEveryIntervalNamingTheRunAndRound() {
        AtomicLong clock = new AtomicLong(5_000_000_000L);
        StringWriter text = new StringWriter();
        StudyRoundsLog log = new StudyRoundsLog(new PrintWriter(text), Duration.ofMinutes(1), clock::get);
        log.roundFinished("p000-seed1", 10, round(0)); // at once: nothing yet
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        log.roundFinished("p000-seed2", 10, round(0)); // 59 s: still nothing
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        log.roundFinished("p000-seed1", 10, round(1)); // 61 s: a line
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        log.roundFinished("p000-seed2", 10, round(1)); // 30 s after the line: nothing
        clock.addAndGet(Duration.ofMinutes(12).toNanos());
        log.roundFinished("p000-seed2", 10, round(2)); // a line
        assertThat(text.toString().lines()).containsExactly(
                "p000-seed1: round 2 of 10 done, 1 min 01 s into the study",
                "p000-seed2: round 3 of 10 done, 13 min 31 s into the study");
    }
}
