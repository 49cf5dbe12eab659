package org.fedlodrop.api;

/**
 * A problem with one of an extension's settings.
 *
 * @param field   the field as a scenario spells it inside the settings block, e.g. {@code trimmed_share}
 * @param message what was expected and what was given, e.g. "expected a share in [0, 0.5), got 0.7"
 */
public record SettingProblem(String field, String message) {
}
