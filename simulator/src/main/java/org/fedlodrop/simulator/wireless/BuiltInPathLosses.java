package org.fedlodrop.simulator.wireless;

/**
 * fedlodrop's path-loss models (docs/wireless.md), registered in
 * {@code META-INF/services/org.fedlodrop.api.channel.PathLossExtension} as a plugin's are.
 */
public final class BuiltInPathLosses {
    private BuiltInPathLosses() {
    }

    public static final class Uma implements BuiltInPathLoss {
        @Override
        public String type() {
            return "3gpp-uma";
        }

        @Override
        public String summary() {
            return "3GPP urban macro as in the FL literature: 128.1 + 37.6 log10(d / km)";
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.Uma3gpp();
        }
    }

    public static final class Umi implements BuiltInPathLoss {
        @Override
        public String type() {
            return "3gpp-umi";
        }

        @Override
        public String summary() {
            return "3GPP TR 38.901 urban micro street canyon, LOS or NLOS per link with the standard's LOS probability";
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.Umi3gpp(p.carrierHz(), p.bsHeightM(), p.ueHeightM());
        }
    }

    public static final class FreeSpace implements BuiltInPathLoss {
        @Override
        public String type() {
            return "free-space";
        }

        @Override
        public String summary() {
            return "free space (Friis) at channel.carrier_hz";
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.FreeSpace(p.carrierHz());
        }
    }

    public static final class LogDistance implements BuiltInPathLoss {
        @Override
        public String type() {
            return "log-distance";
        }

        @Override
        public String summary() {
            return "PL_0 + 10 n log10(d / d_0) with channel.pl0_db, channel.reference_distance_m and channel.exponent";
        }

        @Override
        public PathLoss model(Parameters p) {
            return new PathLoss.LogDistance(p.pl0Db(), p.referenceDistanceM(), p.exponent());
        }
    }
}
