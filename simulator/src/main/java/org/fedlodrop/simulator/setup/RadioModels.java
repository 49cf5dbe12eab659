package org.fedlodrop.simulator.setup;

import org.fedlodrop.api.channel.FadingExtension;
import org.fedlodrop.api.channel.PathLossExtension;
import org.fedlodrop.api.channel.RadioSite;
import org.fedlodrop.simulator.extension.ExtensionFailure;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.simulator.scenario.ExtensionSpec;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.wireless.BuiltInFading;
import org.fedlodrop.simulator.wireless.BuiltInPathLoss;
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

    /** The path-loss model {@code channel.path_loss} names, built-in or a plugin's, with its settings. */
    public static PathLoss pathLoss(Scenario scenario, Extensions extensions) {
        Scenario.Channel channel = scenario.channel();
        Extensions.Registered registered = ExtensionSpec.registered(scenario, ExtensionKind.PATH_LOSS, extensions);
        if (registered.extension() instanceof BuiltInPathLoss builtIn) {
            return builtIn.model(new BuiltInPathLoss.Parameters(channel.carrierHz(), channel.bsHeightM(),
                    channel.ueHeightM(), channel.pl0Db(), channel.referenceDistanceM(), channel.exponent()));
        }
        org.fedlodrop.api.channel.PathLoss model = ExtensionFailure.built(registered, "model", () -> build(
                (PathLossExtension<?>) registered.extension(), ExtensionSpec.bind(scenario, ExtensionKind.PATH_LOSS, extensions),
                new RadioSite(channel.carrierHz(), channel.bsHeightM(), channel.ueHeightM())));
        return new PathLoss.Plugged(ExtensionFailure.name(registered), model);
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> org.fedlodrop.api.channel.PathLoss build(PathLossExtension<S> extension,
                                                                                Record settings, RadioSite site) {
        return extension.build((S) settings, site);
    }

    /**
     * The small-scale fading {@code channel.fading} names, built-in or a plugin's; null for {@code trace}, whose
     * gains replace the channel model, so that there is nothing to draw.
     */
    public static Fading fading(Scenario scenario, Extensions extensions) {
        Scenario.Channel channel = scenario.channel();
        Extensions.Registered registered = ExtensionSpec.registered(scenario, ExtensionKind.FADING, extensions);
        if (registered.extension() instanceof BuiltInFading builtIn) {
            return builtIn.model(channel.ricianK(), channel.nakagamiM());
        }
        org.fedlodrop.api.channel.Fading model = ExtensionFailure.built(registered, "model", () -> buildFading(
                (FadingExtension<?>) registered.extension(), ExtensionSpec.bind(scenario, ExtensionKind.FADING, extensions)));
        return new Fading.Plugged(ExtensionFailure.name(registered), model);
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> org.fedlodrop.api.channel.Fading buildFading(FadingExtension<S> extension,
                                                                                    Record settings) {
        return extension.build((S) settings);
    }

    /** The radio parameters in SI units, converted once from the dB and dBm of the file. */
    public static RadioSettings radio(Scenario scenario) {
        return new RadioSettings(scenario.network().bandwidthHz(),
                Decibels.dbmToWatts(scenario.network().noisePsdDbmHz()),
                Decibels.dbmToWatts(scenario.network().bsPowerDbm()),
                Decibels.dbmToWatts(scenario.devices().maxPowerDbm()));
    }
}
