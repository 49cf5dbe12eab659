package org.fedlodrop.simulator.scenario;

import org.fedlodrop.simulator.wireless.CsiModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedlodrop.api.Extension;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.models.family.ModelFamily;

/**
 * The extensions a scenario names (its planner, aggregation rule and path-loss model, each by type) and
 * their settings: checked and filled from the extension's defaults when the scenario is loaded, bound to
 * the extension's settings record when a run builds it (docs/extending.md).
 */
public final class ExtensionSpec {
    private ExtensionSpec() {
    }

    /** A private copy of a settings tree, never null: records must not share a mutable tree with their caller. */
    static JsonNode frozen(JsonNode settings) {
        return settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    /** The type the scenario names for {@code kind}. */
    public static String type(Scenario scenario, ExtensionKind kind) {
        return switch (kind) {
            case PLANNER -> scenario.planner().solver();
            case AGGREGATION -> scenario.dropout().aggregation();
            case PATH_LOSS -> scenario.channel().pathLoss();
            case FADING -> scenario.channel().fading();
            case MODEL_FAMILY -> scenario.model().family();
        };
    }

    /** The settings tree the scenario gives for {@code kind}. */
    public static JsonNode settings(Scenario scenario, ExtensionKind kind) {
        return switch (kind) {
            case PLANNER -> scenario.planner().settings();
            case AGGREGATION -> scenario.dropout().aggregationSettings();
            case PATH_LOSS -> scenario.channel().pathLossSettings();
            case FADING -> scenario.channel().fadingSettings();
            case MODEL_FAMILY -> scenario.model().settings();
        };
    }

    /** The extension the scenario names for {@code kind}; the scenario was loaded against {@code extensions}. */
    public static Extensions.Registered registered(Scenario scenario, ExtensionKind kind, Extensions extensions) {
        return extensions.find(kind, type(scenario, kind)).orElseThrow(() -> new IllegalStateException(
                kind.typeField() + " " + type(scenario, kind) + " is not registered; the scenario was loaded without it"));
    }

    /** The scenario's settings for {@code kind} bound to the extension's settings record. */
    public static Record bind(Scenario scenario, ExtensionKind kind, Extensions extensions) {
        Extension<?> extension = registered(scenario, kind, extensions).extension();
        try {
            return ScenarioMappers.yaml().treeToValue(settings(scenario, kind), extension.settingsType());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(kind.settingsField() + " was checked when loaded: " + e.getMessage(), e);
        }
    }

    /** Whether any extension the scenario names comes from a plugin jar. */
    public static List<Extensions.Registered> plugins(Scenario scenario, Extensions extensions) {
        List<Extensions.Registered> plugins = new ArrayList<>();
        for (ExtensionKind kind : ExtensionKind.values()) {
            extensions.find(kind, type(scenario, kind)).filter(r -> !r.builtIn()).ifPresent(plugins::add);
        }
        return plugins;
    }

    /**
     * Checks every kind's type and settings and fills the settings' defaults: the resolved scenario, or the
     * problems found, by field path (the settings' fields under their settings block).
     */
    static Scenario resolve(Scenario scenario, Extensions extensions, List<RangeChecks.Violation> violations) {
        ObjectMapper mapper = ScenarioMappers.yaml();
        Scenario resolved = scenario;
        for (ExtensionKind kind : ExtensionKind.values()) {
            String type = type(scenario, kind);
            var found = extensions.find(kind, type);
            if (found.isEmpty()) {
                violations.add(new RangeChecks.Violation(kind.typeField(), "unknown " + kind.noun() + " "
                        + Echo.quoted(type) + "; expected one of " + String.join(", ", extensions.types(kind))
                        + (extensions.jars().isEmpty() ? " (plugins add more: --plugins DIR or " + Extensions.ENVIRONMENT + ")" : "")));
                continue;
            }
            Extensions.Registered registered = found.get();
            Extension<?> extension = registered.extension();
            if (kind == ExtensionKind.MODEL_FAMILY) {
                learnable(scenario, (ModelFamily<?>) extension, extensions, violations);
            }
            ObjectNode given = settings(scenario, kind).isObject() ? (ObjectNode) settings(scenario, kind).deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            List<RangeChecks.Violation> shape = new ArrayList<>();
            for (RangeChecks.Violation v : SchemaCheck.check(extension.settingsType(), given, kind.settingsField())) {
                shape.add(new RangeChecks.Violation(v.path(), v.message() + " (the settings of " + describe(registered) + ")"));
            }
            violations.addAll(shape);
            if (!shape.isEmpty()) {
                continue;
            }
            ObjectNode merged;
            Record bound;
            try {
                merged = mapper.valueToTree(extension.defaultSettings());
                ScenarioLoader.merge(merged, given);
                bound = mapper.treeToValue(merged, extension.settingsType());
            } catch (java.io.IOException | RuntimeException e) {
                violations.add(new RangeChecks.Violation(kind.settingsField(), "cannot bind the settings of "
                        + describe(registered) + ": " + e.getMessage()));
                continue;
            }
            try {
                for (SettingProblem problem : check(extension, bound)) {
                    violations.add(new RangeChecks.Violation(kind.settingsField() + "." + problem.field(),
                            problem.message() + " (" + describe(registered) + ")"));
                }
            } catch (RuntimeException | LinkageError e) {
                violations.add(new RangeChecks.Violation(kind.typeField(), describe(registered)
                        + " failed while checking its settings: " + e));
                continue;
            }
            // The bound record written back: every setting spelled as its type says (1 as 1.0 for a number).
            resolved = with(resolved, kind, mapper.valueToTree(bound));
            if (kind == ExtensionKind.FADING && !(extension instanceof org.fedlodrop.simulator.wireless.BuiltInFading)) {
                undisclosedFading(scenario, describe(registered), violations);
            }
        }
        return resolved;
    }

    /** The workload must be one the family learns. */
    private static void learnable(Scenario scenario, ModelFamily<?> family, Extensions extensions,
                                  List<RangeChecks.Violation> violations) {
        Optional<ModelFamily.Workload> workload = familyWorkload(scenario.data().workload());
        if (workload.isPresent() && !family.workloads().contains(workload.get())) {
            List<String> learning = extensions.all(ExtensionKind.MODEL_FAMILY).stream()
                    .filter(r -> ((ModelFamily<?>) r.extension()).workloads().contains(workload.get()))
                    .map(Extensions.Registered::type).toList();
            violations.add(new RangeChecks.Violation("model.family", "data.workload: "
                    + EnumLabels.label(scenario.data().workload()) + " needs a family that learns it ("
                    + String.join(", ", learning) + "), got " + family.type()));
        }
    }

    /** The family's name for a scenario's workload; empty for none (a cost-only run learns nothing). */
    public static Optional<ModelFamily.Workload> familyWorkload(Workload workload) {
        return switch (workload) {
            case NONE -> Optional.empty();
            case SYNTHETIC -> Optional.of(ModelFamily.Workload.SYNTHETIC);
            case TEXT_CLASSIFICATION -> Optional.of(ModelFamily.Workload.TEXT_CLASSIFICATION);
        };
    }

    /** A plugin's fading draws gains only: what needs its distribution (imperfect CSI, outage) cannot run on it. */
    private static void undisclosedFading(Scenario scenario, String fading, List<RangeChecks.Violation> violations) {
        if (scenario.csi().model() != CsiModel.PERFECT) {
            violations.add(new RangeChecks.Violation("csi.model", "expected perfect with " + fading
                    + ": imperfect CSI needs the fading's distribution, and a plugin's fading draws gains only"));
        }
        if (scenario.planner().outage() != 0) {
            violations.add(new RangeChecks.Violation("planner.outage", "expected 0 with " + fading
                    + ": planning for outage needs the fading's distribution, and a plugin's fading draws gains only"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> List<SettingProblem> check(Extension<S> extension, Record settings) {
        List<SettingProblem> problems = extension.check((S) settings);
        return problems == null ? List.of() : problems;
    }

    private static String describe(Extensions.Registered registered) {
        return registered.kind().noun() + " '" + registered.type() + "'" + (registered.builtIn() ? "" : " from " + registered.origin());
    }

    private static Scenario with(Scenario s, ExtensionKind kind, JsonNode settings) {
        return switch (kind) {
            case PLANNER -> s.withPlanner(s.planner().withSettings(settings));
            case AGGREGATION -> s.withDropout(s.dropout().withAggregationSettings(settings));
            case PATH_LOSS -> s.withChannel(s.channel().withPathLossSettings(settings));
            case FADING -> s.withChannel(s.channel().withFadingSettings(settings));
            case MODEL_FAMILY -> s.withModel(s.model().withSettings(settings));
        };
    }
}
