package org.fedlodrop.api.aggregation;

import java.util.List;

/** Combines the devices' trained sub-adapters of a round into the new global adapter. */
@FunctionalInterface
public interface AggregationRule {
    /**
     * @param global  the global adapter the devices started the round from
     * @param updates every device whose upload arrived in time, in device order (never empty)
     * @return the new global adapter, of the same shapes as {@code global}
     */
    LoraState aggregate(LoraState global, List<DeviceUpdate> updates);
}
