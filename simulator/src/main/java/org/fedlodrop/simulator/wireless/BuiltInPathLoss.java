package org.fedlodrop.simulator.wireless;

import org.fedlodrop.api.channel.PathLossExtension;
import org.fedlodrop.api.channel.RadioSite;
import org.fedlodrop.simulator.extension.BuiltIn;
import org.fedlodrop.simulator.extension.NoSettings;

/**
 * A path-loss model of fedlodrop's own. It registers like a plugin's (by {@link java.util.ServiceLoader} under
 * {@link PathLossExtension}, named by its type); its parameters are still {@code channel}'s own fields
 * ({@code pl0_db}, {@code reference_distance_m}, {@code exponent}), given here as {@link Parameters}.
 */
public interface BuiltInPathLoss extends PathLossExtension<NoSettings>, BuiltIn {
    /** The channel's fields the built-in models read. */
    record Parameters(double carrierHz, double bsHeightM, double ueHeightM, double pl0Db, double referenceDistanceM,
                      double exponent) {
    }

    PathLoss model(Parameters parameters);

    /** Built-ins are built by {@link #model}; this path is for plugins. */
    @Override
    default org.fedlodrop.api.channel.PathLoss build(NoSettings settings, RadioSite site) {
        throw new UnsupportedOperationException(type() + " is built into the simulator: use model");
    }
}
