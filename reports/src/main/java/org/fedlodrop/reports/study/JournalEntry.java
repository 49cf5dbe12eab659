package org.fedlodrop.reports.study;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a study's {@code journal.jsonl}: a finished run, by point and seed, with the metrics
 * the study tabulates.
 */
@JsonPropertyOrder({"point", "seed", "metrics"})
public record JournalEntry(int point, long seed, Map<String, Double> metrics) {
    public JournalEntry {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The run's directory in the study, {@code pNNN-seedS}. */
    public String directoryName() {
        return String.format("p%03d-seed%d", point, seed);
    }
}
