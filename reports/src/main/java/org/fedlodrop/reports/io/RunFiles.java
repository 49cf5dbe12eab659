package org.fedlodrop.reports.io;

/** Names of the files in a run directory (docs/architecture.md, "What a run leaves behind"). */
public final class RunFiles {
    public static final String SCENARIO = "scenario.yaml";
    public static final String MANIFEST = "manifest.json";
    public static final String EVENTS = "events.jsonl";
    public static final String ROUNDS = "rounds.csv";
    public static final String DEVICES = "devices.csv";
    public static final String SUMMARY = "summary.json";
    public static final String TOPOLOGY = "topology.json";
    public static final String MODEL = "model.safetensors";
    public static final String AGGREGATION = "aggregation.csv";
    /** Runs with a backhaul: each cell's aggregation and merge, by round (docs/hierarchy.md). */
    public static final String CELLS = "cells.csv";
    /** Held locked by the process that runs the run, and deleted when it ends: a run whose lock is free died. */
    public static final String LOCK = "run.lock";

    private RunFiles() {
    }
}
