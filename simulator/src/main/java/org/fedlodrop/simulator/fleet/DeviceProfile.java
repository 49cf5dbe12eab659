package org.fedlodrop.simulator.fleet;

/**
 * What one device of the fleet is: its class and the parameters of its processor, radio, energy and
 * data (docs/model.md §4, eqs. 12 and 13; D_k of eqs. 6 to 8).
 *
 * @param deviceClass    the class's name; {@code default} for a fleet without classes
 * @param maxPowerW      P_max of its uplink
 * @param energyBudgetJ  what it may spend in a round
 * @param samples        D_k, its local training samples
 */
public record DeviceProfile(String deviceClass, double cpuMinHz, double cpuMaxHz, double flopsPerCycle, double kappa,
                            double maxPowerW, double energyBudgetJ, long samples, int localEpochs) {

    /** The same device holding {@code samples} training samples. */
    public DeviceProfile withSamples(long samples) {
        return new DeviceProfile(deviceClass, cpuMinHz, cpuMaxHz, flopsPerCycle, kappa, maxPowerW, energyBudgetJ, samples,
                localEpochs);
    }
}
