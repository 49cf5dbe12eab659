package org.fedlodrop.simulator.planning;

import org.fedlodrop.simulator.bound.GeneralisationBound;
import java.util.List;

/**
 * Problem P of docs/model.md §5 for one cell, reduced by the per-device subproblem to
 * {@code min Σ_k G_k(γ_k) s.t. Σ_k b^min_k(γ_k) ≤ B, 0 ≤ γ_k ≤ γ_max}.
 */
public record PlanningProblem(List<DeviceProblem> devices, double bandwidthHz, double maxGamma,
                              GeneralisationBound bound) {
    public PlanningProblem {
        devices = List.copyOf(devices);
    }

    public int size() {
        return devices.size();
    }

    /** The problem of the devices at these positions alone (each device's side does not depend on the others). */
    public PlanningProblem subset(int[] positions) {
        List<DeviceProblem> kept = new java.util.ArrayList<>(positions.length);
        for (int k : positions) {
            kept.add(devices.get(k));
        }
        return new PlanningProblem(kept, bandwidthHz, maxGamma, bound);
    }

    /** G_k(γ), eq. 6 for one device. */
    public double deviceObjective(int k, double gamma) {
        DeviceProblem device = devices.get(k);
        return device.weight() * (bound.empirical(gamma) + bound.gap(gamma, device.samples()));
    }

    /** The increasing part of G_k (ρ Φ_emp), for the monotone bounds. */
    public double increasingPart(int k, double gamma) {
        return devices.get(k).weight() * bound.empirical(gamma);
    }

    /** The decreasing part of G_k (ρ Φ_gap). */
    public double decreasingPart(int k, double gamma) {
        DeviceProblem device = devices.get(k);
        return device.weight() * bound.gap(gamma, device.samples());
    }

    public double deviceSlope(int k, double gamma) {
        DeviceProblem device = devices.get(k);
        return device.weight() * (bound.empiricalSlope(gamma) + bound.gapSlope(gamma, device.samples()));
    }

    public double objective(double[] gammas) {
        double sum = 0;
        for (int k = 0; k < gammas.length; k++) {
            sum += deviceObjective(k, gammas[k]);
        }
        return sum;
    }

    public double minimumBandwidth(int k, double gamma) {
        return devices.get(k).minimumBandwidth(gamma, bandwidthHz);
    }
}
