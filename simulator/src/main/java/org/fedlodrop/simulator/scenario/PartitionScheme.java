package org.fedlodrop.simulator.scenario;

/** How the training samples are split over devices ({@code data.partition}). */
public enum PartitionScheme {
    IID,
    /** Each class shared among devices in Dirichlet({@code data.dirichlet_alpha}) proportions. */
    LABEL_SKEW,
    /**
     * Each device holds {@code data.classes_per_device} classes and its own D_k samples (McMahan et al.'s
     * shards, NIID-Bench's #C = k): the skew is in the labels alone.
     */
    LABEL_SHARDS,
    /** Device sizes in Dirichlet({@code data.dirichlet_alpha}) proportions. */
    QUANTITY_SKEW,
    /** Each device's examples from {@code data.groups_per_device} groups of the files' group column. */
    BY_GROUP
}
