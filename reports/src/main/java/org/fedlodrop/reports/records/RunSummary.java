package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code summary.json}: the run in a few numbers, all from virtual time, so reproducible. Device-rounds
 * are aggregated + missed_deadline + refused_energy + unserved + offline; participation is aggregated ÷
 * device-rounds, availability the share of device-rounds online;
 * run_mean_gamma is the mean γ over all the device-rounds the planner served (rounds.csv's mean_gamma is
 * a round's, which studies take from the last round). With learning, the test loss and accuracy after the
 * last round and the best of each with its round (NaN and −1 without learning).
 */
@JsonPropertyOrder({"scenario", "seed", "rounds", "devices", "virtual_time_s", "mean_round_latency_s",
        "total_energy_j", "device_rounds", "aggregated", "missed_deadline", "refused_energy", "unserved",
        "offline", "participation", "availability", "run_mean_gamma", "final_test_loss", "final_test_accuracy", "best_test_loss",
        "best_test_loss_round", "best_test_accuracy", "best_test_accuracy_round"})
public record RunSummary(String scenario, long seed, int rounds, int devices, double virtualTimeS,
                         double meanRoundLatencyS, double totalEnergyJ, long deviceRounds, long aggregated,
                         long missedDeadline, long refusedEnergy, long unserved, long offline, double participation,
                         double availability,
                         double runMeanGamma, double finalTestLoss, double finalTestAccuracy, double bestTestLoss,
                         int bestTestLossRound, double bestTestAccuracy, int bestTestAccuracyRound) {
    /** Whether the run learnt (its rounds carry test metrics). */
    public boolean learning() {
        return !Double.isNaN(finalTestLoss);
    }
}
