package org.fedlodrop.simulator.scenario;

/** Path-loss models of {@code channel.path_loss} (MODEL.md §3, eq. 9). */
public enum PathLossModel implements Labelled {
    /** 3GPP urban macro: 128.1 + 37.6 log10(d / km) dB. */
    UMA_3GPP("3gpp-uma"),
    /** Free space (Friis) at the carrier frequency. */
    FREE_SPACE("free-space"),
    /** PL_0 + 10 n log10(d / d_0) dB. */
    LOG_DISTANCE("log-distance");

    private final String label;

    PathLossModel(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
