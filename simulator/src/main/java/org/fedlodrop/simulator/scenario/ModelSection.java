package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A scenario writes a model family's own fields beside the model section's common ones ({@code model.layers}
 * next to {@code model.rank}); {@link Scenario.Model} keeps them apart in {@code settings}, which the family
 * binds and checks. These move the fields between the two shapes of the tree.
 */
final class ModelSection {
    /** The model section's own fields; every other field is the family's. */
    static final Set<String> COMMON = Set.copyOf(SchemaCheck.fields(Scenario.Model.class).keySet());
    private static final String SETTINGS = "settings";

    private ModelSection() {
    }

    /** As read: the family's fields moved from the model section into its {@code settings}. */
    static void gather(ObjectNode root) {
        if (!(root.get("model") instanceof ObjectNode model)) {
            return;
        }
        ObjectNode settings = model.objectNode();
        List<String> names = new ArrayList<>();
        model.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.equals(SETTINGS) && model.get(name) instanceof ObjectNode given) {
                // The record's own shape (a scenario serialised as it is held): its fields are the family's.
                model.remove(name);
                given.fields().forEachRemaining(field -> settings.set(field.getKey(), field.getValue()));
            } else if (!COMMON.contains(name) || name.equals(SETTINGS)) {
                settings.set(name, model.remove(name));
            }
        }
        if (!settings.isEmpty()) {
            model.set(SETTINGS, settings);
        }
    }

    /** As written: the family's settings spread into the model section, after the common fields. */
    static void spread(ObjectNode root) {
        if (!(root.get("model") instanceof ObjectNode model)) {
            return;
        }
        JsonNode settings = model.remove(SETTINGS);
        if (settings instanceof ObjectNode fields) {
            model.setAll(fields);
        }
    }
}
