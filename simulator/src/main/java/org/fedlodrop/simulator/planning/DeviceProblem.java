package org.fedlodrop.simulator.planning;

import java.util.function.DoubleUnaryOperator;

/**
 * One device's side of the planning problem (docs/model.md §5): for a dropout rate γ and a bandwidth b,
 * the least energy with which some power p and frequency f meet the latency budget, and the least
 * bandwidth b^min(γ) with which that energy fits the energy budget.
 *
 * <p>For given (γ, b) the time left after the download, T_max − T^dl, is split between computing
 * (t_c, f = C/t_c, E = κC³/t_c²) and uploading (t_u, p = (N0 b/g)(2^{S/(b t_u)} − 1), E = p t_u).
 * Both energies are convex and decreasing in their times, so all the time is used and the split is a
 * one-dimensional convex problem, solved here by bisection on its derivative. The least energy falls
 * with b, so b^min follows by bisection too.
 *
 * @param payloadBits   S(γ), the upload, eq. 5
 * @param downloadBits  what the download carries at γ: the sub-adapter unrounded, and after {@code exact}
 *                      aggregation the W0 change (eq. 4)
 * @param cycles        C(γ), eq. 12
 * @param samples       D_k
 * @param weight        ρ_k = D_k / Σ D
 */
public record DeviceProblem(int device, double gain, DoubleUnaryOperator payloadBits, DoubleUnaryOperator downloadBits,
                            DoubleUnaryOperator cycles,
                            long samples, double weight, double noisePsdWPerHz, double baseStationPowerW,
                            double maxPowerW, double minFrequencyHz, double maxFrequencyHz, double kappa,
                            double latencyBudgetS, double energyBudgetJ) {
    /** Relative tolerance of the bisections: far below anything a plan or a test can see. */
    public static final double TOLERANCE = 1e-10;
    private static final double LN2 = Math.log(2);
    /** The relative margin by which {@link #feasible} may settle the energy comparison early. */
    private static final double CERTAIN = 1e-9;

    /** The energy-optimal operating point for (γ, b), if (γ, b) can meet the latency budget at all. */
    public record Operation(double gamma, double bandwidthHz, double powerW, double frequencyHz, double downloadS,
                            double computeS, double uploadS, double energyJ) {
        public boolean withinEnergy(double budgetJ) {
            return energyJ <= budgetJ;
        }
    }

    public double rateBps(double bandwidthHz, double powerW) {
        return bandwidthHz * Math.log1p(powerW * gain / (noisePsdWPerHz * bandwidthHz)) / LN2;
    }

    /**
     * What (γ, b) leaves to split between computing and uploading: the payload, the cycles, the download
     * time, the time left after it, and the range of computing times that leave enough for the upload.
     */
    private record Split(double bits, double work, double download, double left, double computeMin, double computeMax) {
    }

    /** The split of (γ, b); null if no (p, f) meets the latency budget. */
    private Split split(double gamma, double bandwidthHz) {
        if (!(bandwidthHz > 0) || !(gain > 0)) {
            return null;
        }
        double bits = payloadBits.applyAsDouble(gamma);
        double work = cycles.applyAsDouble(gamma);
        double download = downloadBits.applyAsDouble(gamma) / rateBps(bandwidthHz, baseStationPowerW);
        double left = latencyBudgetS - download;
        double uploadMin = bits / rateBps(bandwidthHz, maxPowerW);
        double computeMin = work / maxFrequencyHz;
        if (!(computeMin + uploadMin <= left)) {
            return null;
        }
        return new Split(bits, work, download, left, computeMin, Math.min(work / minFrequencyHz, left - uploadMin));
    }

    /** Least energy meeting the latency budget with bandwidth b; null if no (p, f) meets it. */
    public Operation leastEnergy(double gamma, double bandwidthHz) {
        Split split = split(gamma, bandwidthHz);
        if (split == null) {
            return null;
        }
        double bits = split.bits();
        double work = split.work();
        double left = split.left();
        double lo = split.computeMin();
        double hi = split.computeMax();
        double compute;
        if (slope(lo, left, bits, work, bandwidthHz) >= 0) {
            compute = lo;
        } else if (slope(hi, left, bits, work, bandwidthHz) <= 0) {
            compute = hi;
        } else {
            for (int i = 0; i < 200 && hi - lo > TOLERANCE * hi; i++) {
                double mid = 0.5 * (lo + hi);
                if (slope(mid, left, bits, work, bandwidthHz) > 0) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            compute = 0.5 * (lo + hi);
        }
        double upload = left - compute;
        double power = Math.min(maxPowerW, uploadPower(bits, bandwidthHz, upload));
        return new Operation(gamma, bandwidthHz, power, work / compute, split.download(), compute, upload,
                energy(compute, left, bits, work, bandwidthHz));
    }

    /** p(t_u) = (N0 b / g)(2^{S/(b t_u)} − 1), the power that sends S bits in t_u. */
    double uploadPower(double bits, double bandwidthHz, double uploadS) {
        return noisePsdWPerHz * bandwidthHz / gain * Math.expm1(bits / (bandwidthHz * uploadS) * LN2);
    }

    /** d/dt_c of κC³/t_c² + e_u(left − t_c); increasing in t_c. */
    private double slope(double compute, double left, double bits, double work, double bandwidthHz) {
        double upload = left - compute;
        double x = bits / (bandwidthHz * upload);
        double twoX = Math.exp(x * LN2);
        // e_u(t) = t (N0 b/g)(2^{S/(b t)} − 1);  e_u'(t) = (N0 b/g)[(2^x − 1) − x ln2 2^x]
        double uploadSlope = noisePsdWPerHz * bandwidthHz / gain * ((twoX - 1) - x * LN2 * twoX);
        return -2 * kappa * work * work * work / (compute * compute * compute) - uploadSlope;
    }

    /**
     * Whether (γ, b) meets both budgets: the same answer as {@code leastEnergy(γ, b).withinEnergy(E_max)},
     * usually sooner. That bisection narrows [lo, hi] around the energy-optimal split; the energy is
     * convex in the split, so every point of the bracket, the final one included, costs at most the
     * larger of E(lo) and E(hi), and no point costs less than where the tangents at lo and hi meet.
     * Once either settles the comparison with the budget by a relative margin far above rounding
     * (1e-9), the rest of the bisection cannot change the answer and is skipped; otherwise the answer
     * is read off the same final point as {@link #leastEnergy}. b^min bisects on this answer alone, so it
     * finds the same bandwidth, bit for bit, some three times faster (docs/planner.md, Speed).
     */
    public boolean feasible(double gamma, double bandwidthHz) {
        Split split = split(gamma, bandwidthHz);
        if (split == null) {
            return false;
        }
        double bits = split.bits();
        double work = split.work();
        double left = split.left();
        double lo = split.computeMin();
        double hi = split.computeMax();
        double slopeLo = slope(lo, left, bits, work, bandwidthHz);
        double compute;
        if (slopeLo >= 0) {
            compute = lo;
        } else {
            double slopeHi = slope(hi, left, bits, work, bandwidthHz);
            if (slopeHi <= 0) {
                compute = hi;
            } else {
                double energyLo = energy(lo, left, bits, work, bandwidthHz);
                double energyHi = energy(hi, left, bits, work, bandwidthHz);
                for (int i = 0; i < 200 && hi - lo > TOLERANCE * hi; i++) {
                    if (Math.max(energyLo, energyHi) <= energyBudgetJ * (1 - CERTAIN)) {
                        return true;
                    }
                    // The tangents at lo (falling) and hi (rising) meet below the whole bracket.
                    double meet = (energyHi - energyLo + slopeLo * lo - slopeHi * hi) / (slopeLo - slopeHi);
                    if (energyLo + slopeLo * (meet - lo) >= energyBudgetJ * (1 + CERTAIN)) {
                        return false;
                    }
                    double mid = 0.5 * (lo + hi);
                    double slopeMid = slope(mid, left, bits, work, bandwidthHz);
                    if (slopeMid > 0) {
                        hi = mid;
                        slopeHi = slopeMid;
                        energyHi = energy(mid, left, bits, work, bandwidthHz);
                    } else {
                        lo = mid;
                        slopeLo = slopeMid;
                        energyLo = energy(mid, left, bits, work, bandwidthHz);
                    }
                }
                compute = 0.5 * (lo + hi);
            }
        }
        return energy(compute, left, bits, work, bandwidthHz) <= energyBudgetJ;
    }

    /** The energy of computing for {@code compute} s and uploading in the rest, as {@link #leastEnergy} reports it. */
    private double energy(double compute, double left, double bits, double work, double bandwidthHz) {
        double upload = left - compute;
        double power = Math.min(maxPowerW, uploadPower(bits, bandwidthHz, upload));
        return kappa * work * work * work / (compute * compute) + power * upload;
    }

    /**
     * b^min(γ): the least bandwidth up to {@code maxBandwidthHz} that meets latency and energy, to a
     * relative tolerance of {@link #TOLERANCE} of the band (the value returned is feasible);
     * {@code +∞} if even the whole band does not.
     */
    public double minimumBandwidth(double gamma, double maxBandwidthHz) {
        if (!feasible(gamma, maxBandwidthHz)) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = 0;
        double hi = maxBandwidthHz;
        while (hi - lo > TOLERANCE * maxBandwidthHz) {
            double mid = 0.5 * (lo + hi);
            if (feasible(gamma, mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
