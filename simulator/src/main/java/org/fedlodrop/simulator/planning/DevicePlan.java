package org.fedlodrop.simulator.planning;

/**
 * What the planner gives one device for a round: dropout rate γ_k, bandwidth b_k, transmit power
 * p_k and CPU frequency f_k (docs/model.md §5), and where the plan chooses bits (issue 31) the width q_k its
 * upload is rounded to.
 *
 * @param bits q_k, or 0: the scenario's {@code model.bits_per_parameter}
 */
public record DevicePlan(int device, double gamma, double bandwidthHz, double powerW, double frequencyHz, int bits) {
    /** A plan at the scenario's bits per parameter. */
    public DevicePlan(int device, double gamma, double bandwidthHz, double powerW, double frequencyHz) {
        this(device, gamma, bandwidthHz, powerW, frequencyHz, 0);
    }

    /** The same plan with its upload rounded to {@code bits}. */
    public DevicePlan withBits(int bits) {
        return new DevicePlan(device, gamma, bandwidthHz, powerW, frequencyHz, bits);
    }

    /** The bits its upload travels at: its own width, or {@code scenarioBits} where the plan chose none. */
    public int bitsOr(int scenarioBits) {
        return bits > 0 ? bits : scenarioBits;
    }

    /**
     * Whether the device takes part in the round: a device given no bandwidth is left out by the
     * planner, is sent nothing and spends nothing (its outcome is {@code unserved}).
     */
    public boolean served() {
        return bandwidthHz > 0;
    }
}
