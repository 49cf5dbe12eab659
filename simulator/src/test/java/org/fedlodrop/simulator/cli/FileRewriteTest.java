package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.bench.FileRewrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench kernel's rewrite: a run's records read back and written again give the run's very bytes, or it refuses. */
class FileRewriteTest {
    @TempDir
    Path temp;

    @Test
    void writesARunsFilesAgainByteForByte() throws Exception {
        Path run = run();
        FileRewrite rewrite = FileRewrite.of(run);
        long lines = 0;
        for (String file : new String[]{RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES}) {
            try (var all = Files.lines(run.resolve(file))) {
                lines += all.count();
            }
        }
        // One record per line, the two CSV headers aside.
        assertThat(rewrite.records()).isEqualTo(lines - 2);
        assertThat(rewrite.seconds()).isPositive();
        assertThat(rewrite.seconds()).isPositive(); // again: nothing of the first rewrite is left to reuse
    }

    /** A number spelled otherwise than the writer spells it reads back the same, and is written back as the writer would. */
    @Test
    void refusesFilesItsRecordsDoNotWriteAgain() throws Exception {
        Path run = run();
        Path devices = run.resolve(RunFiles.DEVICES);
        String text = Files.readString(devices);
        assertThat(text).contains(",0.5,");
        Files.writeString(devices, text.replaceFirst(",0\\.5,", ",0.50,"));
        FileRewrite rewrite = FileRewrite.of(run);
        assertThatThrownBy(rewrite::seconds).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("devices.csv written again from its records differs from the run's");
    }

    private Path run() {
        Path out = temp.resolve("run");
        CliRunner result = CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", out.toString(), "-q",
                "--set", "rounds=3", "--threads", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return out;
    }
}
