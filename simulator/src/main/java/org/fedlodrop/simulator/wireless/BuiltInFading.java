package org.fedlodrop.simulator.wireless;

import org.fedlodrop.api.channel.FadingExtension;
import org.fedlodrop.simulator.extension.BuiltIn;
import org.fedlodrop.simulator.extension.NoSettings;

/**
 * A fading model of fedlodrop's own. It registers like a plugin's (by {@link java.util.ServiceLoader} under
 * {@link FadingExtension}, named by its type); its parameters are still {@code channel}'s own fields
 * ({@code rician_k}, {@code nakagami_m}), and it gives its distribution for imperfect CSI and outage planning.
 */
public interface BuiltInFading extends FadingExtension<NoSettings>, BuiltIn {
    /** The model, or null for {@code trace}, whose gains replace the channel model (nothing to draw). */
    Fading model(double ricianK, double nakagamiM);

    /** Built-ins are built by {@link #model}; this path is for plugins. */
    @Override
    default org.fedlodrop.api.channel.Fading build(NoSettings settings) {
        throw new UnsupportedOperationException(type() + " is built into the simulator: use model");
    }
}
