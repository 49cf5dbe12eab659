package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
    @TempDir
    Path temp;

    @Test
    void fitsTheBoundAndWritesACalibratedScenario() throws Exception {
        Path written = temp.resolve("calibrated.yaml");
        CliRunner result = CliRunner.execute("calibrate", TestScenarios.quickstart().toString(),
                "--set", "data.workload=synthetic", "--set", "model.widths=[16, 32, 32]", "--set", "devices.count=4",
                "--rounds", "3", "--rates", "0,0.45,0.9", "--write", written.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("| 0.450 |", "planner:", "  bound:", "    c_var:", "wrote " + written);
        Scenario calibrated = ScenarioLoader.load(written, List.of()).scenario();
        org.fedlodrop.simulator.bound.GeneralisationBound bound = calibrated.planner().bound();
        assertThat(bound.epsilon0()).isGreaterThanOrEqualTo(0);
        assertThat(bound.cVar()).isGreaterThanOrEqualTo(0);
        assertThat(bound.cReg()).isGreaterThanOrEqualTo(0);
        assertThat(bound.sparsityWeight()).isGreaterThanOrEqualTo(0);
        // The fitted constants differ from the defaults the scenario started with.
        assertThat(bound).isNotEqualTo(Scenario.defaults().planner().bound());
    }

    @Test
    void aCostOnlyScenarioOrTooFewRatesAreBadInput() {
        CliRunner costOnly = CliRunner.execute("calibrate", TestScenarios.quickstart().toString());
        assertThat(costOnly.exitCode()).isEqualTo(2);
        assertThat(costOnly.err()).contains("data.workload is none");
        CliRunner tooFew = CliRunner.execute("calibrate", TestScenarios.quickstart().toString(),
                "--set", "data.workload=synthetic", "--rates", "0,0.5");
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--rates: expected at least 3");
        assertThat(costOnly.hasStackTrace() || tooFew.hasStackTrace()).isFalse();
    }
}
