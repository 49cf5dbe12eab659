package org.fedlodrop.simulator.fleet;

import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * When each device is online: per device, a two-state Markov chain over rounds with mean sojourns of
 * {@code meanOnline} and {@code meanOffline} rounds (leaving a state with probability 1 / its mean
 * sojourn each round), started from its stationary law, so that the long-run share of online rounds is
 * meanOnline / (meanOnline + meanOffline) from the first round on. Drawn once, before the first
 * event, from each device's own stream: the same seed gives the same availability on any number of threads.
 */
public final class Availability {
    /** Per device, the rounds it is offline; null for a device that is always online. */
    private final BitSet[] offline;

    private Availability(BitSet[] offline) {
        this.offline = offline;
    }

    /** The chain of one device over {@code rounds} rounds; {@code meanOffline} 0 means always online. */
    public static BitSet draw(int rounds, double meanOnline, double meanOffline, RandomGenerator random) {
        BitSet off = new BitSet(rounds);
        if (meanOffline <= 0) {
            return off;
        }
        boolean online = random.nextDouble() < stationaryOnlineShare(meanOnline, meanOffline);
        for (int r = 0; r < rounds; r++) {
            if (r > 0) {
                double leave = 1 / (online ? meanOnline : meanOffline);
                if (random.nextDouble() < leave) {
                    online = !online;
                }
            }
            if (!online) {
                off.set(r);
            }
        }
        return off;
    }

    /** π_on = (1/mean_off) / (1/mean_on + 1/mean_off) = mean_on / (mean_on + mean_off). */
    public static double stationaryOnlineShare(double meanOnline, double meanOffline) {
        return meanOffline <= 0 ? 1 : meanOnline / (meanOnline + meanOffline);
    }

    /** Availability from each device's drawn offline rounds (null or empty: always online). */
    public static Availability of(BitSet[] offline) {
        BitSet[] copy = new BitSet[offline.length];
        for (int k = 0; k < offline.length; k++) {
            copy[k] = offline[k] == null || offline[k].isEmpty() ? null : (BitSet) offline[k].clone();
        }
        return new Availability(copy);
    }

    public boolean online(int round, int device) {
        return offline[device] == null || !offline[device].get(round);
    }
}
