package org.fedlodrop.simulator.scenario;

/**
 * An enum whose scenario-file spelling is not simply its lower-cased name, e.g. {@code 3gpp-uma}.
 * Enums without it are spelled in lower case with '-' for '_' ({@code MISSED_DEADLINE} is
 * {@code missed-deadline}).
 */
public interface Labelled {
    String label();
}
