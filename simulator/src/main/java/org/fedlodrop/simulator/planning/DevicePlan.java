package org.fedlodrop.simulator.planning;

/**
 * What the planner gives one device for a round: dropout rate γ_k, bandwidth b_k, transmit power
 * p_k and CPU frequency f_k (docs/model.md §5).
 */
public record DevicePlan(int device, double gamma, double bandwidthHz, double powerW, double frequencyHz) {
    /**
     * Whether the device takes part in the round: a device given no bandwidth is left out by the
     * planner, is sent nothing and spends nothing (its outcome is {@code unserved}).
     */
    public boolean served() {
        return bandwidthHz > 0;
    }
}
