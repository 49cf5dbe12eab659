package org.fedlodrop.simulator.kernel;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Comparator;

/**
 * An event in the clock's future-event list.
 *
 * @param timeNs    virtual time of delivery, nanoseconds
 * @param phase     order among events of the same time (lower first), e.g. uploads before aggregation
 * @param target    id of the receiving actor
 * @param scheduler id of the actor that scheduled it
 * @param sequence  the scheduler's own counter: with {@code scheduler} a unique, deterministic key
 * @param event     what is delivered
 */
public record ScheduledEvent(long timeNs, int phase, String target, String scheduler, long sequence,
                             @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) SimEvent event) {
    /** (time, phase, key): never the order in which messages happened to arrive (docs/architecture.md). */
    public static final Comparator<ScheduledEvent> ORDER = Comparator
            .comparingLong(ScheduledEvent::timeNs)
            .thenComparingInt(ScheduledEvent::phase)
            .thenComparing(ScheduledEvent::scheduler)
            .thenComparingLong(ScheduledEvent::sequence);

    public ScheduledEvent {
        if (timeNs < 0) {
            throw new IllegalArgumentException("negative virtual time " + timeNs);
        }
    }
}
