package org.fedlodrop.simulator.kernel;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Comparator;

/**
 * An event in the future-event list.
 *
 * @param timeNs    virtual time of delivery, nanoseconds
 * @param phase     order among events of the same time (lower first), e.g. uploads before aggregation
 * @param target    id of the receiving actor
 * @param scheduler id of the actor that scheduled it
 * @param sequence  the scheduler's own counter: with {@code scheduler} a unique, deterministic key
 * @param event     what is delivered
 * @param depth     0 for an event scheduled at an earlier time; one more than its cause's depth for an
 *                  event scheduled at the very time of the event that caused it. Events of one time are
 *                  handled depth by depth, as a kernel that stepped through each cascade would.
 */
public record ScheduledEvent(long timeNs, int phase, String target, String scheduler, long sequence,
                             @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) SimEvent event, int depth) {
    /**
     * (time, depth, phase, key): never the order in which messages happened to arrive
     * (docs/architecture.md).
     */
    public static final Comparator<ScheduledEvent> ORDER = (a, b) -> EventKey.compare(a.timeNs, a.depth, a.phase,
            a.scheduler, a.sequence, b.timeNs, b.depth, b.phase, b.scheduler, b.sequence);

    public ScheduledEvent {
        if (timeNs < 0) {
            throw new IllegalArgumentException("negative virtual time " + timeNs);
        }
        if (depth < 0) {
            throw new IllegalArgumentException("negative depth " + depth);
        }
    }

    /** An event scheduled at an earlier time than its own (depth 0). */
    public ScheduledEvent(long timeNs, int phase, String target, String scheduler, long sequence, SimEvent event) {
        this(timeNs, phase, target, scheduler, sequence, event, 0);
    }

    /** Where this event sits in {@link #ORDER}, without its target and payload. */
    public EventKey key() {
        return new EventKey(timeNs, depth, phase, scheduler, sequence);
    }
}
