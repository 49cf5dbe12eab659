package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL keeps every finished round, and says that it was interrupted instead of running for
 * ever (issue 29): its lock is free, report shows the finished rounds, view and a rerun into it say what happened.
 */
class KilledRunTest {
    @TempDir
    Path temp;

    @Test
    void aKilledRunKeepsItsFinishedRoundsAndSaysItWasInterrupted() throws Exception {
        Path out = temp.resolve("killed");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FedLoDrop.class.getName(),
                "run", TestScenarios.quickstart().toString(), "--set", "rounds=100000", "--set", "devices.count=4",
                "--out", out.toString(), "-q")
                .redirectErrorStream(true).redirectOutput(temp.resolve("child.log").toFile()).start();
        Path rounds = out.resolve(RunFiles.ROUNDS + ".part");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && RunState.of(out).finishedRounds() < 5) {
            Thread.sleep(20);
        }
        // While the process lives, it holds the lock: the run is running, and report leaves it alone.
        assertThat(RunState.of(out).status()).as(Files.readString(temp.resolve("child.log"))).isEqualTo(RunState.Status.RUNNING);
        CliRunner early = CliRunner.execute("report", out.toString());
        assertThat(early.exitCode()).isEqualTo(2);
        assertThat(early.err()).contains("is still running (a live process holds its run.lock)");

        process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        RunState state = RunState.of(out);
        assertThat(state.status()).isEqualTo(RunState.Status.INTERRUPTED);
        assertThat(Files.readString(out.resolve(RunFiles.MANIFEST))).contains("\"status\" : \"running\"");
        // Every finished round's row was flushed when it ended; the rows are whole and in order.
        List<RoundRecord> kept = RunTables.readCompleteCsv(rounds, RoundRecord.class);
        assertThat(kept).hasSizeGreaterThanOrEqualTo(5).hasSize(state.finishedRounds());
        for (int r = 0; r < kept.size(); r++) {
            assertThat(kept.get(r).round()).isEqualTo(r);
        }

        CliRunner report = CliRunner.execute("report", out.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("was interrupted after " + state.finishedRounds() + " finished rounds");
        assertThat(Files.readString(out.resolve("report.html"))).contains("Not finished:", "was interrupted after");
        CliRunner view = CliRunner.execute("view", out.toString());
        assertThat(view.exitCode()).isEqualTo(2);
        assertThat(view.err()).contains("was interrupted after", "fedlodrop report " + out + " shows the finished rounds");
        assertThat(view.hasStackTrace()).isFalse();
    }

    @Test
    void aFinishedRunLeavesNoLockAndReportsAsBefore() throws Exception {
        Path out = temp.resolve("finished");
        CliRunner run = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--set", "rounds=2", "--out",
                out.toString(), "-q");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out.resolve(RunFiles.LOCK)).doesNotExist();
        assertThat(RunState.of(out)).isEqualTo(new RunState(RunState.Status.COMPLETE, 2, ""));
        byte[] written = Files.readAllBytes(out.resolve("report.html"));
        CliRunner report = CliRunner.execute("report", out.toString());
        assertThat(report.exitCode()).isZero();
        assertThat(report.out()).doesNotContain("interrupted");
        assertThat(Files.readAllBytes(out.resolve("report.html"))).isEqualTo(written);
    }
}
