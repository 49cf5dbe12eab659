package org.fedlodrop.simulator.scenario;

/**
 * Measured or externally generated channel gains g_k of every round, replayed as they are
 * ({@code channel.fading: trace}; the file format is in docs/wireless.md).
 */
public record GainTrace(double[][] gainsByRound) {
    public double gain(int round, int device) {
        return gainsByRound[round][device];
    }
}
