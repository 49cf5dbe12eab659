package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of {@code rounds.csv}.
 *
 * @param round                  round index, from 0
 * @param startS                 virtual start time of the round
 * @param endS                   virtual end time, after aggregation
 * @param latencyS               end minus start
 * @param energyJ                energy spent by all devices in the round (computation and upload)
 * @param devicesScheduled       devices of the run, served or not: aggregated + missed + refused + unserved + offline
 * @param devicesAggregated      devices whose upload arrived by the deadline
 * @param devicesMissedDeadline  devices that could not finish by the deadline
 * @param devicesRefusedEnergy   devices that refused work their energy budget could not pay
 * @param meanGamma              mean planned dropout rate over the devices served (NaN if none was)
 * @param aggregatedSamples      local samples behind the aggregated updates
 * @param boundValue             the generalisation bound Σ G_k(γ_k) of the planned rates (docs/model.md eq. 6)
 * @param plannerLowerBound      branch and bound's certified lower bound of P, NaN for other solvers
 * @param plannerIterations      B&B nodes or P-SCA iterations over all cells (virtual, so reproducible;
 *                               the solvers' wall time goes to summary.json)
 * @param devicesUnserved        devices the planner left out of the round (sent nothing, spent nothing)
 * @param devicesOffline         devices offline in the round (not planned, sent nothing, spent nothing)
 * @param trainLoss              loss of the aggregated global model on the union of the local sets (NaN without learning)
 * @param testLoss               its loss on the held-out test set
 * @param testAccuracy           its accuracy on the test set
 * @param genGap                 test loss − training loss
 */
@JsonPropertyOrder({"round", "start_s", "end_s", "latency_s", "energy_j", "devices_scheduled",
        "devices_aggregated", "devices_missed_deadline", "devices_refused_energy", "mean_gamma",
        "aggregated_samples", "bound_value", "planner_lower_bound", "planner_iterations", "devices_unserved", "devices_offline",
        "train_loss", "test_loss", "test_accuracy", "gen_gap"})
public record RoundRecord(int round, double startS, double endS, double latencyS, double energyJ,
                          int devicesScheduled, int devicesAggregated, int devicesMissedDeadline,
                          int devicesRefusedEnergy, double meanGamma, long aggregatedSamples, double boundValue,
                          double plannerLowerBound, long plannerIterations, int devicesUnserved, int devicesOffline, double trainLoss,
                          double testLoss, double testAccuracy, double genGap) implements RunRecord {
}
