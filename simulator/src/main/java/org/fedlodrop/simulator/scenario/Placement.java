package org.fedlodrop.simulator.scenario;

/** How devices are placed (docs/wireless.md). */
public enum Placement {
    /** Uniform in area over each cell's annulus between the minimum distance and the radius; devices split evenly over cells. */
    UNIFORM_DISC,
    /** Around {@code topology.clusters} centres, Gaussian with {@code topology.cluster_radius_m} (a Thomas process). */
    CLUSTERED,
    /** On a square lattice over each cell. */
    GRID,
    /** At {@code topology.positions}, one per device. */
    EXPLICIT
}
