package org.fedlodrop.simulator.wireless;

/** dB and dBm appear only at the edges (scenario files, plots); everything inside is linear SI. */
public final class Decibels {
    private Decibels() {
    }

    public static double toLinear(double db) {
        return Math.pow(10, db / 10);
    }

    public static double toDb(double linear) {
        return 10 * Math.log10(linear);
    }

    /** dBm to watts. */
    public static double dbmToWatts(double dbm) {
        return Math.pow(10, (dbm - 30) / 10);
    }
}
