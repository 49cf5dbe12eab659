package org.fedlodrop.api.channel;

/**
 * The scenario's radio geometry that path-loss models commonly need.
 *
 * @param carrierHz {@code channel.carrier_hz}
 * @param bsHeightM {@code channel.bs_height_m}
 * @param ueHeightM {@code channel.ue_height_m}
 */
public record RadioSite(double carrierHz, double bsHeightM, double ueHeightM) {
}
