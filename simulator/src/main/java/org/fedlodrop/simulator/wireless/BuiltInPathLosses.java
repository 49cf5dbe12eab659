package org.fedlodrop.simulator.wireless;

import org.fedlodrop.simulator.extension.BuiltIn;

/**
 * fedlodrop's path-loss models (docs/wireless.md), registered in
 * {@code META-INF/services/org.fedlodrop.api.channel.PathLossExtension} as a plugin's are.
 */
public final class BuiltInPathLosses {
    private BuiltInPathLosses() {
    }

    public static final class Uma extends BuiltIn.Named implements BuiltInPathLoss {
        public Uma() {
            super("3gpp-uma",
                    "3GPP urban macro as in the FL literature: 128.1 + 37.6 log10(d / km)");
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.Uma3gpp();
        }
    }

    public static final class Umi extends BuiltIn.Named implements BuiltInPathLoss {
        public Umi() {
            super("3gpp-umi",
                    "3GPP TR 38.901 urban micro street canyon, LOS or NLOS per link with the standard's LOS probability");
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.Umi3gpp(p.carrierHz(), p.bsHeightM(), p.ueHeightM());
        }
    }

    public static final class FreeSpace extends BuiltIn.Named implements BuiltInPathLoss {
        public FreeSpace() {
            super("free-space",
                    "free space (Friis) at channel.carrier_hz");
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.FreeSpace(p.carrierHz());
        }
    }

    public static final class LogDistance extends BuiltIn.Named implements BuiltInPathLoss {
        public LogDistance() {
            super("log-distance",
                    "PL_0 + 10 n log10(d / d_0) with channel.pl0_db, channel.reference_distance_m and channel.exponent");
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.LogDistance(p.pl0Db(), p.referenceDistanceM(), p.exponent());
        }
    }
}
