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
    /**
     * Each device's sides at the bit widths it may send at (issue 31, docs/planner.md "Bits in the plan"): one per
     * width, position 0 being {@link #devices}'; a problem without planned widths (or with them fixed) has one.
     */
    private final DeviceProblem[][] options;
    /** The bits q of each option: with several, the same increasing widths for every device. */
    private final int[][] bits;
    private final double bandwidthHz;
    private final double maxGamma;
    private final GeneralisationBound bound;
    private final RecentBands[][] recent;

    /** A problem whose devices send at full precision (32 bits, no quantisation term). */
    public PlanningProblem(List<DeviceProblem> devices, double bandwidthHz, double maxGamma, GeneralisationBound bound) {
        this(devices, GeneralisationBound.FULL_PRECISION, bandwidthHz, maxGamma, bound);
    }

    /** A problem whose devices send at {@code bits} each. */
    public PlanningProblem(List<DeviceProblem> devices, int bits, double bandwidthHz, double maxGamma,
                           GeneralisationBound bound) {
        this(List.copyOf(devices), Widths.single(devices, bits), bandwidthHz, maxGamma, bound, null);
    }

    /** Each device's sides and their bits, one per width. */
    private record Widths(DeviceProblem[][] sides, int[][] bits) {
        static Widths single(List<DeviceProblem> devices, int bits) {
            DeviceProblem[][] sides = new DeviceProblem[devices.size()][];
            int[][] widths = new int[devices.size()][];
            for (int k = 0; k < sides.length; k++) {
                sides[k] = new DeviceProblem[] {devices.get(k)};
                widths[k] = new int[] {bits};
            }
            return new Widths(sides, widths);
        }
    }

    /**
     * A problem in which each device chooses its bits from {@code widths} (increasing) jointly with γ:
     * {@code byWidth.get(k)[v]} is device k's side when it sends at {@code widths[v]} bits.
     */
    public static PlanningProblem withWidths(List<DeviceProblem[]> byWidth, int[] widths, double bandwidthHz,
                                             double maxGamma, GeneralisationBound bound) {
        for (int v = 1; v < widths.length; v++) {
            if (widths[v] <= widths[v - 1]) {
                throw new IllegalArgumentException("widths must increase: " + java.util.Arrays.toString(widths));
            }
        }
        DeviceProblem[][] options = new DeviceProblem[byWidth.size()][];
        int[][] bits = new int[byWidth.size()][];
        List<DeviceProblem> first = new java.util.ArrayList<>(options.length);
        for (int k = 0; k < options.length; k++) {
            options[k] = byWidth.get(k).clone();
            if (options[k].length != widths.length) {
                throw new IllegalArgumentException("device " + k + " has " + options[k].length + " sides for "
                        + widths.length + " widths");
            }
            bits[k] = widths.clone();
            first.add(options[k][0]);
        }
        return new PlanningProblem(List.copyOf(first), new Widths(options, bits), bandwidthHz, maxGamma, bound, null);
    }

    private PlanningProblem(List<DeviceProblem> devices, Widths widths, double bandwidthHz, double maxGamma,
                            GeneralisationBound bound, RecentBands[][] recent) {
        this.devices = devices;
        this.options = widths.sides();
        this.bits = widths.bits();
        this.bandwidthHz = bandwidthHz;
        this.maxGamma = maxGamma;
        this.bound = Objects.requireNonNull(bound, "bound");
        if (recent == null) {
            recent = new RecentBands[devices.size()][];
            for (int k = 0; k < recent.length; k++) {
                recent[k] = new RecentBands[options[k].length];
                for (int v = 0; v < recent[k].length; v++) {
                    recent[k][v] = new RecentBands();
                }
            }
        }
        this.recent = recent;
    }

    /** How many bit widths each device chooses from (1 where the plan does not choose bits). */
    public int widthCount() {
        return options.length == 0 ? 1 : options[0].length;
    }

    /** The bits device k sends at in option v. */
    public int bits(int k, int v) {
        return bits[k][v];
    }

    /**
     * The problem with each device's width fixed at option {@code chosen[k]}: one option per device, which every
     * solver of γ alone takes; the devices keep what they have computed at that width.
     */
    public PlanningProblem atWidths(int[] chosen) {
        DeviceProblem[][] kept = new DeviceProblem[chosen.length][];
        int[][] keptBits = new int[chosen.length][];
        RecentBands[][] keptRecent = new RecentBands[chosen.length][];
        List<DeviceProblem> first = new java.util.ArrayList<>(chosen.length);
        for (int k = 0; k < chosen.length; k++) {
            kept[k] = new DeviceProblem[] {options[k][chosen[k]]};
            keptBits[k] = new int[] {bits[k][chosen[k]]};
            keptRecent[k] = new RecentBands[] {recent[k][chosen[k]]};
            first.add(kept[k][0]);
        }
        return new PlanningProblem(List.copyOf(first), new Widths(kept, keptBits), bandwidthHz, maxGamma, bound,
                keptRecent);
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
        DeviceProblem[][] keptOptions = new DeviceProblem[positions.length][];
        int[][] keptBits = new int[positions.length][];
        RecentBands[][] keptRecent = new RecentBands[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            kept.add(devices.get(positions[i]));
            keptOptions[i] = options[positions[i]];
            keptBits[i] = bits[positions[i]];
            keptRecent[i] = recent[positions[i]];
        }
        return new PlanningProblem(List.copyOf(kept), new Widths(keptOptions, keptBits), bandwidthHz, maxGamma, bound,
                keptRecent);
    }

    /** G_k(γ), eq. 6 for one device (at its first width). */
    public double deviceObjective(int k, double gamma) {
        return deviceObjective(k, 0, gamma);
    }

    /** G_k(γ, q) with Φ_q at option v's width, eqs. 6 and 7a. */
    public double deviceObjective(int k, int v, double gamma) {
        DeviceProblem device = devices.get(k);
        double quantisation = bound.quantisation(gamma, bits[k][v]);
        double sum = bound.empirical(gamma) + bound.gap(gamma, device.samples());
        // Added only where there is a term, so that a plan without one is the same bits as before eq. 7a.
        return device.weight() * (quantisation == 0 ? sum : sum + quantisation);
    }

    /** The increasing part of G_k (ρ Φ_emp), for the monotone bounds; the same at every width. */
    public double increasingPart(int k, double gamma) {
        return devices.get(k).weight() * bound.empirical(gamma);
    }

    /** The decreasing part of G_k (ρ Φ_gap). */
    public double decreasingPart(int k, double gamma) {
        return decreasingPart(k, 0, gamma);
    }

    /** The decreasing part of G_k at option v's width (ρ [Φ_gap + Φ_q]: Φ_q too falls with γ). */
    public double decreasingPart(int k, int v, double gamma) {
        DeviceProblem device = devices.get(k);
        double quantisation = bound.quantisation(gamma, bits[k][v]);
        double gap = bound.gap(gamma, device.samples());
        return device.weight() * (quantisation == 0 ? gap : gap + quantisation);
    }

    public double deviceSlope(int k, double gamma) {
        DeviceProblem device = devices.get(k);
        double slope = bound.empiricalSlope(gamma) + bound.gapSlope(gamma, device.samples());
        double quantisation = bound.quantisation(0, bits[k][0]);
        // d Φ_q / dγ = −c_quant v(q), constant in γ (eq. 7a).
        return device.weight() * (quantisation == 0 ? slope : slope - quantisation);
    }

    public double objective(double[] gammas) {
        double sum = 0;
        for (int k = 0; k < gammas.length; k++) {
            sum += deviceObjective(k, gammas[k]);
        }
        return sum;
    }

    /** Σ G_k(γ_k, q_k) with device k at option {@code chosen[k]}. */
    public double objective(double[] gammas, int[] chosen) {
        double sum = 0;
        for (int k = 0; k < gammas.length; k++) {
            sum += deviceObjective(k, chosen[k], gammas[k]);
        }
        return sum;
    }

    /**
     * b^min_k(γ) within this problem's band ({@link DeviceProblem#minimumBandwidth}). Safe to call for
     * different devices from different threads; one device's calls must not overlap.
     */
    public double minimumBandwidth(int k, double gamma) {
        return minimumBandwidth(k, 0, gamma);
    }

    /** b^min_k(γ) at option v's width. */
    public double minimumBandwidth(int k, int v, double gamma) {
        RecentBands memo = recent[k][v];
        double known = memo.find(gamma);
        if (!Double.isNaN(known)) {
            return known;
        }
        double band = options[k][v].minimumBandwidth(gamma, bandwidthHz);
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
