package org.fedlodrop.simulator.scenario;

/** How devices move between rounds (docs/wireless.md). */
public enum MobilityModel {
    NONE,
    /** Towards a uniform waypoint in the serving cell at {@code mobility.speed_mps}, pause, repeat. */
    RANDOM_WAYPOINT,
    /** A straight line at {@code mobility.speed_mps} in a random direction, reflected at the cell edge. */
    CONSTANT_VELOCITY
}
