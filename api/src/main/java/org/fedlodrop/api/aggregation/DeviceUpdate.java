package org.fedlodrop.api.aggregation;

import java.util.List;

/**
 * One device's upload of a round.
 *
 * @param device  its global index
 * @param trained its adapter after local training (entries outside its masks are the global values it was sent
 *                nothing for: ignore them)
 * @param masks   one per adapted layer, in the order of {@link LoraState#a()}
 * @param weight  its aggregation weight, D_k (normalise by the sum over the updates)
 * @param gamma   the dropout rate it trained at
 */
public record DeviceUpdate(int device, LoraState trained, List<LayerMask> masks, double weight, double gamma) {
    public DeviceUpdate {
        masks = List.copyOf(masks);
    }
}
