package org.fedlodrop.simulator.learning;

import org.fedlodrop.api.aggregation.AggregationExtension;
import org.fedlodrop.api.aggregation.AggregationRule;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.simulator.extension.BuiltIn;
import org.fedlodrop.simulator.extension.NoSettings;

/**
 * An aggregation rule of fedlodrop's own. It registers like a plugin's (by {@link java.util.ServiceLoader} under
 * {@link AggregationExtension}, named by its type), but runs on the models' own arrays, and {@code exact}
 * also folds its residual into W0, which the API's {@link AggregationRule} does not reach.
 */
public interface BuiltInAggregation extends AggregationExtension<NoSettings>, BuiltIn {
    AggregationMode mode();

    /** Built-ins run by {@link #mode}; this path is for plugins. */
    @Override
    default AggregationRule build(NoSettings settings) {
        throw new UnsupportedOperationException(type() + " is built into the simulator: use mode");
    }
}
