package org.fedlodrop.simulator.scenario;

/** How devices are placed around the base station. */
public enum Placement {
    /** Uniform over the annulus between {@code topology.min_distance_m} and {@code topology.cell_radius_m}. */
    UNIFORM_DISC
}
