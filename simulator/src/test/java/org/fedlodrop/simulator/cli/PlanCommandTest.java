package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;

class PlanCommandTest {
    @Test
    void printsTheRoundsPlanAsJson() throws Exception {
        CliRunner result = CliRunner.execute("plan", TestScenarios.quickstart().toString(), "--solver", "bnb", "--round", "1",
                "--set", "dropout.aggregation=masked-mean");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode plan = RunFormats.jsonDocument().readTree(result.out());
        assertThat(plan.get("round").asInt()).isEqualTo(1);
        JsonNode cell = plan.get("cells").get(0);
        assertThat(cell.get("solver").asText()).isEqualTo("bnb");
        assertThat(cell.get("devices")).hasSize(10);
        double band = 0;
        for (JsonNode device : cell.get("devices")) {
            band += device.get("bandwidth_hz").asDouble();
            assertThat(device.get("gamma").asDouble()).isBetween(0.0, 0.9);
        }
        assertThat(band).isLessThanOrEqualTo(10e6 * (1 + 1e-9));
        assertThat(cell.get("lower_bound").asDouble()).isLessThanOrEqualTo(cell.get("bound_value").asDouble());
    }

    @Test
    void aRoundBeyondTheScenarioIsABadInput() {
        CliRunner result = CliRunner.execute("plan", TestScenarios.quickstart().toString(), "--round", "20",
                "--set", "dropout.aggregation=masked-mean");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--round 20: the scenario has rounds 0 to 19");
        assertThat(CliRunner.execute("plan", TestScenarios.quickstart().toString(), "--solver", "magic").exitCode()).isEqualTo(2);
    }
}
