package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;

/** Writes a resolved scenario as YAML that {@link ScenarioLoader} reads back to the same scenario. */
public final class ScenarioWriter {
    private ScenarioWriter() {
    }

    public static String yaml(Scenario scenario) {
        try {
            return "# Resolved scenario: every field, every default filled. Run it again with\n"
                    + "#   ./fedlodrop run THIS_FILE\n"
                    + ScenarioMappers.yaml().writeValueAsString(scenario);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
