package org.fedlodrop.simulator.extension;

/**
 * The settings of an extension that has none of its own (the built-ins, whose fields still live in
 * their scenario section: docs/extending.md, "What is not pluggable yet").
 */
public record NoSettings() {
}
