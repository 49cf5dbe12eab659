package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.wireless.Decibels;
import org.fedlodrop.simulator.wireless.Fading;
import org.fedlodrop.simulator.wireless.PathLoss;
import org.fedlodrop.simulator.wireless.RadioSettings;

/**
 * The wireless models a scenario names, built where a run is set up, so that {@code wireless} stays
 * plain physics that knows nothing of scenario files.
 */
public final class RadioModels {
    private RadioModels() {
    }

    public static PathLoss pathLoss(Scenario.Channel channel) {
        return switch (channel.pathLoss()) {
            case UMA_3GPP -> new PathLoss.Uma3gpp();
            case UMI_3GPP -> new PathLoss.Umi3gpp(channel.carrierHz(), channel.bsHeightM(), channel.ueHeightM());
            case FREE_SPACE -> new PathLoss.FreeSpace(channel.carrierHz());
            case LOG_DISTANCE -> new PathLoss.LogDistance(channel.pl0Db(), channel.referenceDistanceM(), channel.exponent());
        };
    }

    /** The small-scale fading to draw; {@code trace} gains replace the channel model, so there is none. */
    public static Fading fading(Scenario.Channel channel) {
        return switch (channel.fading()) {
            case RAYLEIGH -> new Fading.Rayleigh();
            case RICIAN -> new Fading.Rician(channel.ricianK());
            case NAKAGAMI -> new Fading.Nakagami(channel.nakagamiM());
            case NONE -> new Fading.Flat();
            case TRACE -> throw new IllegalArgumentException("trace gains replace the channel model; there is no fading to draw");
        };
    }

    /** The radio parameters in SI units, converted once from the dB and dBm of the file. */
    public static RadioSettings radio(Scenario scenario) {
        return new RadioSettings(scenario.network().bandwidthHz(),
                Decibels.dbmToWatts(scenario.network().noisePsdDbmHz()),
                Decibels.dbmToWatts(scenario.network().bsPowerDbm()),
                Decibels.dbmToWatts(scenario.devices().maxPowerDbm()));
    }
}
