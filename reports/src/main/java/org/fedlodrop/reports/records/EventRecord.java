package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code events.jsonl}: what happened at which virtual time.
 *
 * @param timeNs  virtual time in nanoseconds
 * @param type    event type, e.g. {@code download_end}
 * @param round   the round (0-based), or -1 outside rounds
 * @param device  the device index, or null for the base station and other actors
 * @param payload event details; keys keep their insertion order so that lines are reproducible
 */
@JsonPropertyOrder({"time_ns", "type", "round", "device", "payload"})
public record EventRecord(long timeNs, String type, int round,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer device,
                          Map<String, Object> payload) implements RunRecord {
    public EventRecord {
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    public static EventRecord of(long timeNs, String type, int round, Integer device, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("payload needs key/value pairs");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            payload.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new EventRecord(timeNs, type, round, device, payload);
    }
}
