package org.fedlodrop.simulator.kernel;

/**
 * Order of events that fall on the same virtual time, lowest first. An upload that arrives exactly
 * at the deadline thus counts before the round is closed.
 */
public enum Phase {
    ROUND_START,
    SOUNDING,
    PLANNING,
    DOWNLOAD,
    COMPUTE,
    UPLOAD,
    AGGREGATION
}
