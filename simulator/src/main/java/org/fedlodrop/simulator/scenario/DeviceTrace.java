package org.fedlodrop.simulator.scenario;

import java.util.BitSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A capability trace ({@code devices.trace_file}), in the spirit of FedScale's device profiles: per
 * device named in it, a class, any of the per-device parameters, and the rounds it is offline. What a
 * row leaves empty comes from the device's class (the row's, else the one the shares dealt it).
 */
public record DeviceTrace(Map<Integer, Row> rows) {
    /** The per-device parameters a row may give, by their column names (as in {@code devices.classes}). */
    public static final java.util.List<String> PARAMETERS = java.util.List.of("cpu_min_hz", "cpu_max_hz",
            "flops_per_cycle", "kappa", "max_power_dbm", "energy_budget_j", "samples", "local_epochs");

    public DeviceTrace {
        rows = java.util.Collections.unmodifiableMap(new TreeMap<>(rows));
    }

    /**
     * One device's row.
     *
     * @param deviceClass the class it belongs to, if the row names one
     * @param parameters  the parameters the row gives, by column name
     * @param offline     the rounds it is offline, if the row has an {@code offline} cell (replacing its
     *                    class's availability chain); empty: online throughout
     */
    public record Row(int device, Optional<String> deviceClass, Map<String, Double> parameters, Optional<BitSet> offline) {
        public Row {
            parameters = Map.copyOf(parameters);
            offline = offline.map(bits -> (BitSet) bits.clone());
        }
    }

    public Optional<Row> row(int device) {
        return Optional.ofNullable(rows.get(device));
    }
}
