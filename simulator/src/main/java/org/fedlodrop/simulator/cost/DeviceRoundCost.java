package org.fedlodrop.simulator.cost;

import org.fedlodrop.simulator.wireless.RadioSettings;

/**
 * Time and energy of one device's round, docs/model.md eqs. 10 to 13, for a given allocation.
 *
 * @param payloadBits     S_k, the sub-adapter's size, sent down and up
 * @param downlinkRateBps R^dl_k = R_k(b_k, P_BS)
 * @param uplinkRateBps   R_k(b_k, p_k)
 * @param cycles          C_k
 * @param downloadS       T^dl_k = S_k / R^dl_k               (11)
 * @param computeS        T^cmp_k = C_k / f_k                 (12)
 * @param uploadS         T^ul_k = S_k / R_k(b_k, p_k)        (13)
 * @param computeEnergyJ  E^cmp_k = κ C_k f_k²                (12)
 * @param uploadEnergyJ   E^ul_k = p_k T^ul_k                 (13)
 * @param uploadPowerW    p_k
 */
public record DeviceRoundCost(double payloadBits, double downlinkRateBps, double uplinkRateBps, double cycles,
                              double downloadS, double computeS, double uploadS,
                              double computeEnergyJ, double uploadEnergyJ, double uploadPowerW) {

    /** For a gain that holds through the round (one coherence block). */
    public static DeviceRoundCost of(RadioSettings radio, double payloadBits, double gain, double bandwidthHz,
                                     double powerW, double frequencyHz, double cycles, double kappa) {
        double download = payloadBits / radio.rateBps(bandwidthHz, radio.baseStationPowerW(), gain);
        double upload = payloadBits / radio.rateBps(bandwidthHz, powerW, gain);
        return fromDurations(payloadBits, download, upload, powerW, frequencyHz, cycles, kappa);
    }

    /**
     * From transmission times already worked out (over several coherence blocks, say); the rates are
     * then the effective ones, S over the time.
     */
    public static DeviceRoundCost fromDurations(double payloadBits, double downloadS, double uploadS, double powerW,
                                                double frequencyHz, double cycles, double kappa) {
        double compute = cycles / frequencyHz;
        return new DeviceRoundCost(payloadBits, payloadBits / downloadS, payloadBits / uploadS, cycles, downloadS,
                compute, uploadS, kappa * cycles * frequencyHz * frequencyHz, powerW * uploadS, powerW);
    }

    /** Latency of the round for this device, the left side of the latency constraint (14). */
    public double latencyS() {
        return downloadS + computeS + uploadS;
    }

    /** Energy of the round for this device, the left side of the energy constraint (14). */
    public double energyJ() {
        return computeEnergyJ + uploadEnergyJ;
    }

    /**
     * What the device spends when it stops {@code elapsedS} seconds after its download ended
     * (at the deadline): computation pro rata to the cycles done, then upload at p_k.
     */
    public Spent stoppedAfter(double elapsedS) {
        double computing = Math.min(Math.max(elapsedS, 0), computeS);
        double uploading = Math.min(Math.max(elapsedS - computeS, 0), uploadS);
        double computeEnergy = computeS > 0 ? computeEnergyJ * computing / computeS : 0;
        return new Spent(computing, uploading, computeEnergy, uploadPowerW * uploading);
    }

    /** Time and energy actually spent. */
    public record Spent(double computeS, double uploadS, double computeEnergyJ, double uploadEnergyJ) {
        /** Nothing spent: a refusal, a download cut off by the deadline, a device left out. */
        public static final Spent NONE = new Spent(0, 0, 0, 0);
    }
}
