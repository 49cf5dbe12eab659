package org.fedlodrop.simulator.planning;

import org.fedlodrop.simulator.bound.GeneralisationBound;
import java.util.List;
import java.util.Objects;

/**
 * Problem P of docs/model.md §5 for one cell, reduced by the per-device subproblem to
 * {@code min Σ_k G_k(γ_k) s.t. Σ_k b^min_k(γ_k) ≤ B, 0 ≤ γ_k ≤ γ_max}.
 *
 * <p>An immutable value but for one transparent cache: b^min of each device at the rates asked for
 * lately ({@link RecentBands}). Finding b^min is two nested bisections, some thirty evaluations of
 * the energy-optimal split per bandwidth tried, and the solvers ask for the same (device, γ) several
 * times (P-SCA's merit, its linearisation and its stopping test at one point; the planner's servable
 * check and the solver's own at γ_max): the cache returns the value computed before, the same bits.
 */
public final class PlanningProblem {
    private final List<DeviceProblem> devices;
    private final double bandwidthHz;
    private final double maxGamma;
    private final GeneralisationBound bound;
    private final RecentBands[] recent;

    public PlanningProblem(List<DeviceProblem> devices, double bandwidthHz, double maxGamma, GeneralisationBound bound) {
        this(List.copyOf(devices), bandwidthHz, maxGamma, bound, null);
    }

    private PlanningProblem(List<DeviceProblem> devices, double bandwidthHz, double maxGamma, GeneralisationBound bound,
                            RecentBands[] recent) {
        this.devices = devices;
        this.bandwidthHz = bandwidthHz;
        this.maxGamma = maxGamma;
        this.bound = Objects.requireNonNull(bound, "bound");
        if (recent == null) {
            recent = new RecentBands[devices.size()];
            for (int k = 0; k < recent.length; k++) {
                recent[k] = new RecentBands();
            }
        }
        this.recent = recent;
    }

    public List<DeviceProblem> devices() {
        return devices;
    }

    public double bandwidthHz() {
        return bandwidthHz;
    }

    public double maxGamma() {
        return maxGamma;
    }

    public GeneralisationBound bound() {
        return bound;
    }

    public int size() {
        return devices.size();
    }

    /**
     * The problem of the devices at these positions alone (each device's side does not depend on the
     * others, so each keeps what it has computed: the band B is the same).
     */
    public PlanningProblem subset(int[] positions) {
        List<DeviceProblem> kept = new java.util.ArrayList<>(positions.length);
        RecentBands[] keptRecent = new RecentBands[positions.length];
        for (int i = 0; i < positions.length; i++) {
            kept.add(devices.get(positions[i]));
            keptRecent[i] = recent[positions[i]];
        }
        return new PlanningProblem(List.copyOf(kept), bandwidthHz, maxGamma, bound, keptRecent);
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

    /**
     * b^min_k(γ) within this problem's band ({@link DeviceProblem#minimumBandwidth}). Safe to call for
     * different devices from different threads; one device's calls must not overlap.
     */
    public double minimumBandwidth(int k, double gamma) {
        RecentBands memo = recent[k];
        double known = memo.find(gamma);
        if (!Double.isNaN(known)) {
            return known;
        }
        double band = devices.get(k).minimumBandwidth(gamma, bandwidthHz);
        memo.remember(gamma, band);
        return band;
    }

    @Override
    public String toString() {
        return "PlanningProblem[devices=" + devices.size() + ", bandwidthHz=" + bandwidthHz + ", maxGamma=" + maxGamma
                + ", bound=" + bound + "]";
    }

    /**
     * The last few (γ, b^min) pairs of one device, matched by γ's exact bits. Eight cover what a P-SCA
     * iteration asks (the point, its two finite-difference neighbours, the candidate) with room for the
     * previous iteration's; b^min is never NaN (a bandwidth or +∞), so NaN means "not known".
     */
    static final class RecentBands {
        private static final int SIZE = 8;
        private final long[] gammaBits = new long[SIZE];
        private final double[] bands = new double[SIZE];
        private int filled;
        private int next;

        double find(double gamma) {
            long bits = Double.doubleToRawLongBits(gamma);
            for (int i = 0; i < filled; i++) {
                if (gammaBits[i] == bits) {
                    return bands[i];
                }
            }
            return Double.NaN;
        }

        void remember(double gamma, double band) {
            gammaBits[next] = Double.doubleToRawLongBits(gamma);
            bands[next] = band;
            next = (next + 1) % SIZE;
            filled = Math.max(filled, next == 0 ? SIZE : next);
        }
    }
}
