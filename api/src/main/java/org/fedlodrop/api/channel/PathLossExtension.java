package org.fedlodrop.api.channel;

import org.fedlodrop.api.Extension;

/**
 * A large-scale path-loss model, named by {@code channel.path_loss} with its settings under
 * {@code channel.path_loss_settings} (docs/wireless.md).
 *
 * @param <S> its settings record
 */
public interface PathLossExtension<S extends Record> extends Extension<S> {
    /** The model for one run; called once per run. */
    PathLoss build(S settings, RadioSite site);
}
