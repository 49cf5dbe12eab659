package org.fedlodrop.api.channel;

/** Large-scale path loss PL(d) in dB (docs/model.md §3, eq. 9). Must be a pure function of its arguments. */
public interface PathLoss {
    /**
     * @param distanceM   horizontal distance between base station and device, at least {@code topology.min_distance_m}
     * @param lineOfSight whether the link has line of sight (drawn per link with {@link #lineOfSightProbability})
     */
    double lossDb(double distanceM, boolean lineOfSight);

    /** Probability that a link at this distance has line of sight; 0 for models without the distinction. */
    default double lineOfSightProbability(double distanceM) {
        return 0;
    }
}
