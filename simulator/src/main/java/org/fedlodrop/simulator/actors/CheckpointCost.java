package org.fedlodrop.simulator.actors;

/** Checkpoints a run wrote and the wall-clock seconds writing them took (forcing the record files included). */
public record CheckpointCost(int written, double seconds) {
    public static final CheckpointCost NONE = new CheckpointCost(0, 0);
}
