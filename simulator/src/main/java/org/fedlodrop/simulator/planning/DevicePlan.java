package org.fedlodrop.simulator.planning;

/**
 * What the planner gives one device for a round: dropout rate γ_k, bandwidth b_k, transmit power
 * p_k and CPU frequency f_k (MODEL.md §5).
 */
public record DevicePlan(int device, double gamma, double bandwidthHz, double powerW, double frequencyHz) {
}
