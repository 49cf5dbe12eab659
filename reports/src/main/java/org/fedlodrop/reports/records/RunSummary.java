package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code summary.json}: the run in a few numbers, all from virtual time, so reproducible. Device-rounds
 * are aggregated + missed_deadline + refused_energy + unserved; participation is aggregated ÷ device-rounds.
 */
@JsonPropertyOrder({"scenario", "seed", "rounds", "devices", "virtual_time_s", "mean_round_latency_s",
        "total_energy_j", "device_rounds", "aggregated", "missed_deadline", "refused_energy", "unserved",
        "participation"})
public record RunSummary(String scenario, long seed, int rounds, int devices, double virtualTimeS,
                         double meanRoundLatencyS, double totalEnergyJ, long deviceRounds, long aggregated,
                         long missedDeadline, long refusedEnergy, long unserved, double participation) {
}
