package org.fedlodrop.simulator.scenario;

/** How the training samples are split over devices ({@code data.partition}). */
public enum PartitionScheme {
    IID,
    /** Each class shared among devices in Dirichlet({@code data.dirichlet_alpha}) proportions. */
    LABEL_SKEW,
    /** Device sizes in Dirichlet({@code data.dirichlet_alpha}) proportions. */
    QUANTITY_SKEW
}
