package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.actors.RunProgress;

/** Rounds done: a progress bar on a terminal, a plain line every tenth of the run otherwise. */
final class ConsoleProgress implements RunProgress, AutoCloseable {
    private final ProgressBar bar;
    private final PrintWriter plain;
    private final int total;
    private int done;

    private ConsoleProgress(ProgressBar bar, PrintWriter plain, int total) {
        this.bar = bar;
        this.plain = plain;
        this.total = total;
    }

    static ConsoleProgress start(String task, int total, PrintWriter err, boolean quiet) {
        if (quiet) {
            return new ConsoleProgress(null, null, total);
        }
        if (System.console() != null) {
            return new ConsoleProgress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" rounds", 1).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build(), null, total);
        }
        return new ConsoleProgress(null, err, total);
    }

    @Override
    public void roundFinished(RoundRecord round) {
        step(round, "done");
    }

    @Override
    public void roundReplayed(RoundRecord round) {
        step(round, "replayed");
    }

    private void step(RoundRecord round, String how) {
        done++;
        if (bar != null) {
            bar.stepTo(done);
        } else if (plain != null && (done == total || done % Math.max(1, total / 10) == 0)) {
            plain.printf("round %d/%d %s, virtual time %.1f s%n", done, total, how, round.endS());
            plain.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
