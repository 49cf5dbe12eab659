package org.fedlodrop.simulator.wireless;

/**
 * The radio parameters of a scenario in SI units, converted once from the dB and dBm of the file.
 *
 * @param bandwidthHz      B, shared by FDMA
 * @param noisePsdWPerHz   N0
 * @param baseStationPowerW P_BS, downlink transmit power
 * @param maxDevicePowerW  P_max
 */
public record RadioSettings(double bandwidthHz, double noisePsdWPerHz, double baseStationPowerW, double maxDevicePowerW) {
    /** Shannon rate {@code R(b, p) = b log2(1 + p g / (N0 b))} in bit/s (docs/model.md eq. 10). */
    public double rateBps(double bandwidthHz, double powerW, double gain) {
        if (bandwidthHz <= 0 || powerW <= 0 || gain <= 0) {
            return 0;
        }
        double snr = powerW * gain / (noisePsdWPerHz * bandwidthHz);
        return bandwidthHz * Math.log1p(snr) / Math.log(2);
    }
}
