package org.fedlodrop.simulator.scenario;

/** How often log-normal shadowing is drawn anew (docs/model.md §3). */
public enum ShadowingRedraw {
    /** Once per device for the whole run (default): shadowing follows the place, not the time. */
    DEVICE,
    /** Anew every round. */
    ROUND
}
