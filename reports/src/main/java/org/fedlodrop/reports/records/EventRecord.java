package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One line of {@code events.jsonl}: what happened at which virtual time.
 *
 * @param timeNs  virtual time in nanoseconds
 * @param type    what happened, e.g. {@link EventType#DOWNLOAD_END}
 * @param round   the round (0-based), or -1 outside rounds
 * @param device  the device index, or null for the base station and other actors
 * @param payload event details; keys keep their insertion order so that lines are reproducible
 *                (an immutable copy, {@link EventPayload})
 */
@JsonPropertyOrder({"time_ns", "type", "round", "device", "payload"})
public record EventRecord(long timeNs, EventType type, int round,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer device,
                          Map<String, Object> payload) implements RunRecord {
    public EventRecord {
        payload = EventPayload.copyOf(payload);
    }

    public static EventRecord of(long timeNs, EventType type, int round, Integer device, Object... keyValues) {
        return new EventRecord(timeNs, type, round, device, EventPayload.ofPairs(keyValues));
    }

    /** An immutable, ordered map of key/value pairs for a payload's nested objects (a plan's devices, say). */
    public static Map<String, Object> details(Object... keyValues) {
        return EventPayload.ofPairs(keyValues);
    }
}
