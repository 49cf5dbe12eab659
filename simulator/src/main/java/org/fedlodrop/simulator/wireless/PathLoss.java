package org.fedlodrop.simulator.wireless;

import org.fedlodrop.simulator.scenario.Scenario;

/** Large-scale path loss PL(d) in dB (MODEL.md §3, eq. 9). */
public sealed interface PathLoss permits PathLoss.Uma3gpp, PathLoss.FreeSpace, PathLoss.LogDistance {
    double lossDb(double distanceM);

    static PathLoss of(Scenario.Channel channel) {
        return switch (channel.pathLoss()) {
            case UMA_3GPP -> new Uma3gpp();
            case FREE_SPACE -> new FreeSpace(channel.carrierHz());
            case LOG_DISTANCE -> new LogDistance(channel.pl0Db(), channel.referenceDistanceM(), channel.exponent());
        };
    }

    /** 3GPP urban macro as used throughout the FL literature: 128.1 + 37.6 log10(d / km). */
    record Uma3gpp() implements PathLoss {
        @Override
        public double lossDb(double distanceM) {
            return 128.1 + 37.6 * Math.log10(distanceM / 1000);
        }
    }

    /** Friis: 20 log10(4 π d f / c). */
    record FreeSpace(double carrierHz) implements PathLoss {
        private static final double SPEED_OF_LIGHT = 299_792_458.0;

        @Override
        public double lossDb(double distanceM) {
            return 20 * Math.log10(4 * Math.PI * distanceM * carrierHz / SPEED_OF_LIGHT);
        }
    }

    /** PL_0 + 10 n log10(d / d_0). */
    record LogDistance(double pl0Db, double referenceDistanceM, double exponent) implements PathLoss {
        @Override
        public double lossDb(double distanceM) {
            return pl0Db + 10 * exponent * Math.log10(distanceM / referenceDistanceM);
        }
    }
}
