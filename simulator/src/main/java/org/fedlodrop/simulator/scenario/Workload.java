package org.fedlodrop.simulator.scenario;

/** Learning workloads of {@code data.workload}. */
public enum Workload {
    /** Cost only: the round protocol, channel, latency and energy, with no learning. */
    NONE,
    /** Teacher–student classification on a frozen random MLP (models: TeacherStudent). */
    SYNTHETIC,
    /** Labelled texts from TSV/CSV/JSONL files in GLUE's layout, on the transformer family. */
    TEXT_CLASSIFICATION
}
