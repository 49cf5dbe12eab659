package org.fedlodrop.api;

import java.util.List;

/**
 * Something a scenario names by its {@code type}: a planner, an aggregation rule or a path-loss model
 * (docs/extending.md). An implementation is found with {@link java.util.ServiceLoader} under the
 * interface of its kind ({@link org.fedlodrop.api.planning.PlannerExtension},
 * {@link org.fedlodrop.api.aggregation.AggregationExtension}, {@link org.fedlodrop.api.channel.PathLossExtension}),
 * exactly as fedlodrop's own are.
 *
 * <p>Its settings are a record whose components are the fields a scenario may give under the type's
 * settings block, spelled in snake_case ({@code trimmedShare} is {@code trimmed_share}); fields of type
 * int, long, double, boolean, String, enums, lists and nested records are bound and checked as the
 * scenario's own fields are. A field the user leaves out takes its value from {@link #defaultSettings()}.
 *
 * @param <S> the settings record
 */
public interface Extension<S extends Record> {
    /** The name a scenario uses for it: letters, digits and '-', unique among the extensions of its kind. */
    String type();

    /** One line for {@code fedlodrop validate} and the docs: what it does. */
    String summary();

    /** The settings record's class. */
    Class<S> settingsType();

    /** Every setting's default. */
    S defaultSettings();

    /**
     * Range and consistency checks of bound settings, each problem naming its field in snake_case as the
     * scenario spells it under the settings block; empty when they are fine.
     */
    default List<SettingProblem> check(S settings) {
        return List.of();
    }
}
