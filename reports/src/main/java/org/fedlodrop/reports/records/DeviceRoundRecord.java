package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of {@code devices.csv}: a device's plan, channel, costs and outcome in one round
 * (docs/model.md eqs. 10 to 14). Times and energies are what the device actually spent, so a device that
 * stopped at the deadline shows the part it did. {@code gain} is the true gain at the round's start,
 * {@code gain_estimate} what the planner saw; rates are effective ones (payload over time) when the
 * channel changes within the round. {@code local_loss}: the device's mean training loss in its last
 * local epoch (NaN without learning, or when it did not train). {@code device_class}: its class in a
 * heterogeneous fleet ({@code default} without classes); {@code samples}: D_k, its local training samples.
 */
@JsonPropertyOrder({"round", "device", "cell", "x_m", "y_m", "distance_m", "gamma", "bandwidth_hz", "power_w",
        "frequency_hz", "gain", "gain_db", "gain_estimate", "downlink_rate_bps", "uplink_rate_bps", "payload_bits", "t_dl_s", "t_cmp_s",
        "t_ul_s", "latency_s", "energy_cmp_j", "energy_ul_j", "energy_j", "outcome", "deadline_met", "local_loss", "device_class", "samples"})
public record DeviceRoundRecord(int round, int device, int cell, double xM, double yM, double distanceM, double gamma,
                                double bandwidthHz, double powerW, double frequencyHz, double gain, double gainDb,
                                double gainEstimate,
                                double downlinkRateBps, double uplinkRateBps, double payloadBits,
                                double tDlS, double tCmpS, double tUlS, double latencyS,
                                double energyCmpJ, double energyUlJ, double energyJ,
                                DeviceOutcome outcome, boolean deadlineMet, double localLoss, String deviceClass,
                                long samples) implements RunRecord {
}
