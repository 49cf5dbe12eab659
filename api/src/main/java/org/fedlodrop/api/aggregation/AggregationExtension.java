package org.fedlodrop.api.aggregation;

import org.fedlodrop.api.Extension;

/**
 * An aggregation rule, named by {@code dropout.aggregation} with its settings under
 * {@code dropout.aggregation_settings}: how the server combines the devices' trained sub-adapters into
 * the next global adapter (docs/model.md eq. 4).
 *
 * @param <S> its settings record
 */
public interface AggregationExtension<S extends Record> extends Extension<S> {
    /** The rule for one run; called once per run. */
    AggregationRule build(S settings);
}
