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
    /** Which device, where, in which round and cell. */
    public record Place(int round, int device, int cell, double xM, double yM, double distanceM) {
    }

    /** What the planner gave it: γ_k, b_k, p_k, f_k. */
    public record Allocation(double gamma, double bandwidthHz, double powerW, double frequencyHz) {
    }

    /** Its link: the true gain at the round's start, what the planner saw, the effective rates, the upload. */
    public record Link(double gain, double gainEstimate, double downlinkRateBps, double uplinkRateBps, double payloadBits) {
    }

    /** What it spent: the download, computation and upload times, and the energies of the last two. */
    public record Spent(double tDlS, double tCmpS, double tUlS, double energyCmpJ, double energyUlJ) {
    }

    /** How the round ended for it, its last local epoch's loss, its class and D_k. */
    public record Result(DeviceOutcome outcome, double localLoss, String deviceClass, long samples) {
    }

    /** The row from its named parts; the dB gain, the latency, the energy and deadline_met follow from them. */
    public static DeviceRoundRecord of(Place place, Allocation allocation, Link link, Spent spent, Result result) {
        return new DeviceRoundRecord(place.round(), place.device(), place.cell(), place.xM(), place.yM(), place.distanceM(),
                allocation.gamma(), allocation.bandwidthHz(), allocation.powerW(), allocation.frequencyHz(), link.gain(),
                10 * Math.log10(link.gain()), link.gainEstimate(), link.downlinkRateBps(), link.uplinkRateBps(),
                link.payloadBits(), spent.tDlS(), spent.tCmpS(), spent.tUlS(), spent.tDlS() + spent.tCmpS() + spent.tUlS(),
                spent.energyCmpJ(), spent.energyUlJ(), spent.energyCmpJ() + spent.energyUlJ(), result.outcome(),
                result.outcome() == DeviceOutcome.AGGREGATED, result.localLoss(), result.deviceClass(), result.samples());
    }
}
