package org.fedlodrop.simulator.actors;

/**
 * Checkpoints a run wrote, the wall-clock seconds their thread spent writing them (forcing the record files
 * included), and the seconds the recorder paused for them (flushing and counting the files).
 */
public record CheckpointCost(int written, double seconds, double pausedS) {
    public static final CheckpointCost NONE = new CheckpointCost(0, 0, 0);
}
