package org.fedlodrop.simulator.kernel;

import java.util.Comparator;

/**
 * An event's place in {@link ScheduledEvent#ORDER}. Records carry the key of the first event their
 * actor handled at their time and depth, so that the clock can write them in the order of a kernel
 * that stepped through one time and depth at a time, however the windows cut the run.
 */
public record EventKey(long timeNs, int depth, int phase, String scheduler, long sequence) {
    public static final Comparator<EventKey> ORDER = Comparator
            .comparingLong(EventKey::timeNs)
            .thenComparingInt(EventKey::depth)
            .thenComparingInt(EventKey::phase)
            .thenComparing(EventKey::scheduler)
            .thenComparingLong(EventKey::sequence);
}
