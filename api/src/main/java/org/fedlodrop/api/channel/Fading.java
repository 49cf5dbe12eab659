package org.fedlodrop.api.channel;

import java.util.random.RandomGenerator;

/** Small-scale fading: the power gain |h|² of one coherence block (docs/model.md §3, eq. 9). */
public interface Fading {
    /**
     * One block's |h|² (finite, at least 0; a mean of 1 keeps path loss and shadowing the link's mean gain),
     * drawn from {@code random} alone: each device has its own stream, derived from the scenario's seed.
     */
    double powerGain(RandomGenerator random);
}
