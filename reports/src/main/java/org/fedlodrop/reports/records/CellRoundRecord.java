package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of {@code cells.csv}, written by runs with a backhaul (docs/hierarchy.md): a cell's own aggregation in
 * a round, and its part in the cloud merge that ends the round, if one does.
 *
 * @param round         round index, from 0
 * @param cell          the cell, from 0
 * @param aggregated    updates the cell's edge server aggregated in the round
 * @param samples       local samples behind them
 * @param energyJ       energy its devices spent in the round
 * @param merged        whether the round ended with a cloud merge
 * @param weight        the cell's weight in that merge: samples aggregated since the merge before (0 without one)
 * @param backhaulUpS   its model's transfer to the cloud (0 without a merge)
 * @param backhaulDownS the merged model's transfer back
 * @param trainLoss     the cell's model after its aggregation, on its devices' local data (NaN without learning)
 * @param testLoss      on the test set
 * @param testAccuracy  on the test set
 */
@JsonPropertyOrder({"round", "cell", "aggregated", "samples", "energy_j", "merged", "weight", "backhaul_up_s",
        "backhaul_down_s", "train_loss", "test_loss", "test_accuracy"})
public record CellRoundRecord(int round, int cell, int aggregated, long samples, double energyJ, boolean merged,
                              double weight, double backhaulUpS, double backhaulDownS, double trainLoss, double testLoss,
                              double testAccuracy) implements RunRecord {
}
