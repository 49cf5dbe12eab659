package org.fedlodrop.simulator.kernel;

import java.util.Comparator;

/**
 * An event's place in {@link ScheduledEvent#ORDER}. Records carry the key of the first event their
 * actor handled at their time and depth, so that the clock can write them in the order of a kernel
 * that stepped through one time and depth at a time, however the windows cut the run.
 */
public record EventKey(long timeNs, int depth, int phase, String scheduler, long sequence) {
    /** Time, depth, phase, scheduler, sequence, written out as {@link ScheduledEvent#ORDER} is. */
    public static final Comparator<EventKey> ORDER = (a, b) -> {
        int c = Long.compare(a.timeNs, b.timeNs);
        if (c == 0) {
            c = Integer.compare(a.depth, b.depth);
        }
        if (c == 0) {
            c = Integer.compare(a.phase, b.phase);
        }
        if (c == 0) {
            c = a.scheduler.compareTo(b.scheduler);
        }
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
    };
}
