package org.fedlodrop.simulator.extension;

import org.fedlodrop.api.Extension;
import org.fedlodrop.api.aggregation.AggregationExtension;
import org.fedlodrop.api.channel.FadingExtension;
import org.fedlodrop.api.channel.PathLossExtension;
import org.fedlodrop.api.planning.PlannerExtension;
import org.fedlodrop.models.family.ModelFamily;

/** The kinds of extension, each with the scenario fields that name one and hold its settings. */
public enum ExtensionKind {
    PLANNER("planner", PlannerExtension.class, "planner.solver", "planner.settings"),
    AGGREGATION("aggregation rule", AggregationExtension.class, "dropout.aggregation", "dropout.aggregation_settings"),
    PATH_LOSS("path-loss model", PathLossExtension.class, "channel.path_loss", "channel.path_loss_settings"),
    FADING("fading model", FadingExtension.class, "channel.fading", "channel.fading_settings"),
    /** A family's own fields sit in the model section beside the common ones (model.widths, model.layers). */
    MODEL_FAMILY("model family", ModelFamily.class, "model.family", "model");

    private final String noun;
    private final Class<? extends Extension<?>> service;
    private final String typeField;
    private final String settingsField;

    @SuppressWarnings({"unchecked", "rawtypes"})
    ExtensionKind(String noun, Class<? extends Extension> service, String typeField, String settingsField) {
        this.noun = noun;
        this.service = (Class<? extends Extension<?>>) (Class) service;
        this.typeField = typeField;
        this.settingsField = settingsField;
    }

    public String noun() {
        return noun;
    }

    /** The noun for several: model families, planners. */
    public String plural() {
        return noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
    }

    /** The interface its implementations are registered under with {@link java.util.ServiceLoader}. */
    public Class<? extends Extension<?>> service() {
        return service;
    }

    /** The scenario field that names the type, e.g. {@code planner.solver}. */
    public String typeField() {
        return typeField;
    }

    /** The scenario field that holds the type's own settings, e.g. {@code planner.settings}. */
    public String settingsField() {
        return settingsField;
    }
}
