package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;

/** Writes a resolved scenario as YAML that {@link ScenarioLoader} reads back to the same scenario. */
public final class ScenarioWriter {
    private ScenarioWriter() {
    }

    /** The scenario as a file spells it: the model family's fields in the model section. */
    static com.fasterxml.jackson.databind.node.ObjectNode tree(Scenario scenario) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = ScenarioMappers.yaml().valueToTree(scenario);
        ModelSection.spread(tree);
        return tree;
    }

    public static String yaml(Scenario scenario) {
        try {
            return "# Resolved scenario: every field, every default filled. Run it again with\n"
                    + "#   ./fedlodrop run THIS_FILE\n"
                    + ScenarioMappers.yaml().writeValueAsString(tree(scenario));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
