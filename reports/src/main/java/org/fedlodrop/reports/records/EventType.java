package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The kinds of line in {@code events.jsonl}, spelled there in snake_case (docs/architecture.md, "Run files"). */
public enum EventType {
    ROUND_START,
    JOBS_START,
    CHANNEL_SOUNDED,
    PLAN,
    PLAN_INFEASIBLE,
    DOWNLOAD_START,
    DOWNLOAD_END,
    ENERGY_REFUSED,
    COMPUTE_END,
    UPLOAD_END,
    DEADLINE_MISSED,
    AGGREGATION_START,
    BACKHAUL_START,
    CLOUD_MERGE,
    ROUND_END;

    /** Spelled once: lower-casing the name for every event written was 2 % of bench kernel's samples. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** As the file spells it, e.g. {@code download_end}. */
    @JsonValue
    public String label() {
        return label;
    }

    /** Delegating: the whole JSON string is the label (Pekko's mapper would otherwise look for a property). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EventType of(String label) {
        return Arrays.stream(values()).filter(t -> t.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + label + "'; expected one of "
                        + Arrays.stream(values()).map(EventType::label).toList()));
    }
}
