package org.fedlodrop.simulator.kernel;

import java.util.Comparator;

/**
 * An event's place in {@link ScheduledEvent#ORDER}. Records carry the key of the first event their
 * actor handled at their time and depth, so that the clock can write them in the order of a kernel
 * that stepped through one time and depth at a time, however the windows cut the run.
 */
public record EventKey(long timeNs, int depth, int phase, String scheduler, long sequence) {
    /** Time, depth, phase, scheduler, sequence: the order of {@link ScheduledEvent#ORDER}. */
    public static final Comparator<EventKey> ORDER = (a, b) -> compare(a.timeNs, a.depth, a.phase, a.scheduler, a.sequence,
            b.timeNs, b.depth, b.phase, b.scheduler, b.sequence);

    /**
     * Both orders field by field, written out rather than chained ({@code comparingLong().thenComparingInt()...}):
     * the chain's lambdas were a tenth of bench kernel's time.
     */
    static int compare(long timeA, int depthA, int phaseA, String schedulerA, long sequenceA,
                       long timeB, int depthB, int phaseB, String schedulerB, long sequenceB) {
        int c = Long.compare(timeA, timeB);
        if (c == 0) {
            c = Integer.compare(depthA, depthB);
        }
        if (c == 0) {
            c = Integer.compare(phaseA, phaseB);
        }
        if (c == 0) {
            c = schedulerA.compareTo(schedulerB);
        }
        return c != 0 ? c : Long.compare(sequenceA, sequenceB);
    }
}
