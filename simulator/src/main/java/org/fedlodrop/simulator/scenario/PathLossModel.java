package org.fedlodrop.simulator.scenario;

/** Path-loss models of {@code channel.path_loss} (docs/model.md §3, eq. 9; docs/wireless.md). */
public enum PathLossModel implements Labelled {
    /** 3GPP urban macro as in the FL literature: 128.1 + 37.6 log10(d / km). */
    UMA_3GPP("3gpp-uma"),
    /** 3GPP TR 38.901 urban micro street canyon, LOS or NLOS per link with the standard's LOS probability. */
    UMI_3GPP("3gpp-umi"),
    /** Free space (Friis) at the carrier frequency. */
    FREE_SPACE("free-space"),
    /** PL_0 + 10 n log10(d / d_0). */
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
