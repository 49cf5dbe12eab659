package org.fedlodrop.api.channel;

import org.fedlodrop.api.Extension;

/**
 * A small-scale fading model, named by {@code channel.fading} with its settings under
 * {@code channel.fading_settings} (docs/wireless.md). A plugin's model draws gains only: runs with it plan on
 * perfect CSI ({@code csi.model: perfect}) and without outage ({@code planner.outage: 0}), which need the
 * fading's distribution.
 *
 * @param <S> its settings record
 */
public interface FadingExtension<S extends Record> extends Extension<S> {
    /** The model for one run; called once per run. */
    Fading build(S settings);
}
