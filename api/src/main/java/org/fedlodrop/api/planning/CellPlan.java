package org.fedlodrop.api.planning;

import java.util.List;

/**
 * A planner's answer for one cell and round.
 *
 * @param devices one decision per device, in the order of {@link CellRound#devices()}
 */
public record CellPlan(List<Decision> devices) {
    public CellPlan {
        devices = List.copyOf(devices);
    }

    /**
     * What one device is given: dropout rate γ_k in [0, 1), bandwidth b_k ≥ 0 (0 leaves it out of the round),
     * transmit power p_k in (0, P_max] and CPU frequency f_k in [f_min, f_max].
     */
    public record Decision(double gamma, double bandwidthHz, double powerW, double frequencyHz) {
    }
}
