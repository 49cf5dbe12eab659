package org.fedlodrop.simulator.wireless;

/** Large-scale path loss PL(d) in dB (docs/model.md §3, eq. 9; docs/wireless.md). */
public sealed interface PathLoss permits PathLoss.Uma3gpp, PathLoss.Umi3gpp, PathLoss.FreeSpace, PathLoss.LogDistance,
        PathLoss.Plugged {
    double SPEED_OF_LIGHT = 299_792_458.0;

    /**
     * @param distanceM    horizontal distance between base station and device
     * @param lineOfSight  whether the link has line of sight (only models with LOS/NLOS variants use it)
     */
    double lossDb(double distanceM, boolean lineOfSight);

    /** Probability that a link at this distance has line of sight; 0 for models without the distinction. */
    default double lineOfSightProbability(double distanceM) {
        return 0;
    }

    /**
     * The large-scale gain X − PL(d) in dB (eq. 9 without fading): shadowing less the path loss, the link in line
     * of sight while its uniform draw is below P_LOS(d). The one place the run, the channel and the topology take it.
     */
    default double largeScaleGainDb(double distanceM, double shadowingDb, double losDraw) {
        return shadowingDb - lossDb(distanceM, losDraw < lineOfSightProbability(distanceM));
    }

    /** 3GPP urban macro as used throughout the FL literature: 128.1 + 37.6 log10(d / km). */
    record Uma3gpp() implements PathLoss {
        @Override
        public double lossDb(double distanceM, boolean lineOfSight) {
            return 128.1 + 37.6 * Math.log10(distanceM / 1000);
        }
    }

    /**
     * 3GPP TR 38.901 (v17) Table 7.4.1-1, UMi street canyon, with the LOS probability of Table
     * 7.4.2-1. Distances below the table's 10 m are taken as 10 m.
     */
    record Umi3gpp(double carrierHz, double bsHeightM, double ueHeightM) implements PathLoss {
        private static final double ENVIRONMENT_HEIGHT_M = 1.0;

        /** d'_BP = 4 h'_BS h'_UT f_c / c. */
        public double breakpointM() {
            return 4 * (bsHeightM - ENVIRONMENT_HEIGHT_M) * (ueHeightM - ENVIRONMENT_HEIGHT_M) * carrierHz / SPEED_OF_LIGHT;
        }

        @Override
        public double lossDb(double distanceM, boolean lineOfSight) {
            double d2 = Math.max(distanceM, 10);
            double dh = bsHeightM - ueHeightM;
            double d3 = Math.sqrt(d2 * d2 + dh * dh);
            double fGhz = carrierHz / 1e9;
            double breakpoint = breakpointM();
            double los = d2 <= breakpoint
                    ? 32.4 + 21 * Math.log10(d3) + 20 * Math.log10(fGhz)
                    : 32.4 + 40 * Math.log10(d3) + 20 * Math.log10(fGhz) - 9.5 * Math.log10(breakpoint * breakpoint + dh * dh);
            if (lineOfSight) {
                return los;
            }
            double nlos = 35.3 * Math.log10(d3) + 22.4 + 21.3 * Math.log10(fGhz) - 0.3 * (ueHeightM - 1.5);
            return Math.max(los, nlos);
        }

        @Override
        public double lineOfSightProbability(double distanceM) {
            if (distanceM <= 18) {
                return 1;
            }
            return 18 / distanceM + Math.exp(-distanceM / 36) * (1 - 18 / distanceM);
        }
    }

    /** Friis: 20 log10(4 π d f / c). */
    record FreeSpace(double carrierHz) implements PathLoss {
        @Override
        public double lossDb(double distanceM, boolean lineOfSight) {
            return 20 * Math.log10(4 * Math.PI * distanceM * carrierHz / SPEED_OF_LIGHT);
        }
    }

    /** PL_0 + 10 n log10(d / d_0). */
    record LogDistance(double pl0Db, double referenceDistanceM, double exponent) implements PathLoss {
        @Override
        public double lossDb(double distanceM, boolean lineOfSight) {
            return pl0Db + 10 * exponent * Math.log10(distanceM / referenceDistanceM);
        }
    }

    /**
     * A plugin's model (docs/extending.md). A loss that is not a finite number, or a probability outside [0, 1],
     * fails the run with the plugin's name rather than poison the channel.
     */
    record Plugged(String name, org.fedlodrop.api.channel.PathLoss model) implements PathLoss {
        @Override
        public double lossDb(double distanceM, boolean lineOfSight) {
            double loss;
            try {
                loss = model.lossDb(distanceM, lineOfSight);
            } catch (RuntimeException | LinkageError e) {
                throw new org.fedlodrop.simulator.extension.ExtensionFailure(name + " failed at " + distanceM + " m: " + e, e);
            }
            if (!Double.isFinite(loss)) {
                throw new org.fedlodrop.simulator.extension.ExtensionFailure(name + ": expected a finite loss in dB at "
                        + distanceM + " m, got " + loss, null);
            }
            return loss;
        }

        @Override
        public double lineOfSightProbability(double distanceM) {
            double p;
            try {
                p = model.lineOfSightProbability(distanceM);
            } catch (RuntimeException | LinkageError e) {
                throw new org.fedlodrop.simulator.extension.ExtensionFailure(name + " failed at " + distanceM + " m: " + e, e);
            }
            if (!(p >= 0 && p <= 1)) {
                throw new org.fedlodrop.simulator.extension.ExtensionFailure(name
                        + ": expected a line-of-sight probability in [0, 1] at " + distanceM + " m, got " + p, null);
            }
            return p;
        }
    }
}
