package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad gain trace is reported with its file, line and column name, exit code 2, nothing run. */
class TraceFileErrorsTest {
    @TempDir
    Path temp;

    private CliRunner validate(String traceContent, String traceName) throws Exception {
        Path scenario = temp.resolve("s.yaml");
        if (traceContent != null) {
            Files.writeString(temp.resolve("gains.csv"), traceContent);
        }
        Files.writeString(scenario, "rounds: 2\ndevices:\n  count: 2\nchannel:\n  fading: trace\n  trace_file: " + traceName + "\n");
        return CliRunner.execute("validate", scenario.toString());
    }

    @Test
    void aRelativeTraceIsFoundBesideTheScenarioAndMadeAbsolute() throws Exception {
        CliRunner result = validate("round,device,gain_db\n0,0,-90\n0,1,-91\n1,0,-92\n1,1,-93\n", "gains.csv");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("trace_file: " + temp.resolve("gains.csv").toAbsolutePath());
    }

    @Test
    void missingRowsBadValuesAndMissingFilesAreLocated() throws Exception {
        Path trace = temp.resolve("gains.csv");
        CliRunner missing = validate("round,device,gain_db\n0,0,-90\n0,1,-91\n1,0,-92\n", "gains.csv");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains(trace + ": no gain for round 1, device 1");

        CliRunner bad = validate("round,device,gain_db\n0,0,-90\n0,1,loud\n1,0,-92\n1,1,-93\n", "gains.csv");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(trace + ":3: gain_db: expected a gain in dB between -400 and 100, got 'loud'");

        CliRunner absent = validate(null, "nowhere.csv");
        assertThat(absent.exitCode()).isEqualTo(2);
        assertThat(absent.err()).contains(temp.resolve("nowhere.csv") + ": no such trace file (channel.trace_file)");
        assertThat(missing.hasStackTrace() || bad.hasStackTrace() || absent.hasStackTrace()).isFalse();
    }
}
