package org.fedlodrop.simulator.bound;

/**
 * The generalisation-error bound the planner minimises (docs/model.md eqs. 6 to 8), per device:
 * {@code G_k(γ) = ρ_k [Φ_emp(γ) + Φ_gap(γ)]}. Φ_emp rises with γ (dropout inflates the gradient
 * variance by γ/(1−γ) and its sparsity regularises), Φ_gap falls (sparsity lowers the pointwise
 * hypothesis stability bound), so G has an interior optimum and is not convex.
 *
 * @param epsilon0       ε_0, the attainable empirical risk without dropout
 * @param cVar           c_var, weight of the variance inflation γ/(1−γ)
 * @param cReg           c_reg, weight of the sparsity s(γ) in the empirical risk
 * @param lossBound      M, bound of the loss
 * @param lipschitz      L, Lipschitz constant of the loss
 * @param strongConvexity Λ, strong convexity without dropout
 * @param sparsityWeight λ, how much sparsity adds to the strong convexity
 * @param confidence     δ, the bound holds with probability 1 − δ
 * @param cQuant         c_quant, weight of the quantisation variance of an upload at q bits (docs/model.md eq. 7a);
 *                       0 (the default) leaves the bound as eqs. 6 to 8 give it
 */
public record GeneralisationBound(double epsilon0, double cVar, double cReg, double lossBound, double lipschitz,
                                  double strongConvexity, double sparsityWeight, double confidence,
                                  @com.fasterxml.jackson.annotation.JsonInclude(
                                          com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                                  Double cQuant) {
    /** c_quant = 0 is held as absent, so that a scenario without the term resolves to the same text as before it. */
    public GeneralisationBound {
        if (cQuant != null && cQuant == 0) {
            cQuant = null;
        }
    }

    /** c_quant, 0 where the scenario has none. */
    public double quantisationWeight() {
        return cQuant == null ? 0 : cQuant;
    }

    /** The bits at and above which nothing is rounded (docs/model.md §1). */
    public static final int FULL_PRECISION = 32;

    /** The bound of eqs. 6 to 8 without a quantisation term. */
    public GeneralisationBound(double epsilon0, double cVar, double cReg, double lossBound, double lipschitz,
                               double strongConvexity, double sparsityWeight, double confidence) {
        this(epsilon0, cVar, cReg, lossBound, lipschitz, strongConvexity, sparsityWeight, confidence, null);
    }

    /** The same bound with this quantisation weight. */
    public GeneralisationBound withQuantisation(double cQuant) {
        return new GeneralisationBound(epsilon0, cVar, cReg, lossBound, lipschitz, strongConvexity, sparsityWeight,
                confidence, cQuant);
    }

    /**
     * v(q) = 1 / (2^q − 1)², the variance bound of stochastic k-level quantisation with k = 2^q levels per entry,
     * relative to the square of the range it spans (Suresh et al., ICML 2017, §3: Δ²/4 with Δ = range/(k − 1), the
     * 1/4 kept in c_quant); 0 at full precision, where nothing is rounded.
     */
    public static double quantisationVariance(int bits) {
        if (bits >= FULL_PRECISION) {
            return 0;
        }
        double levels = Math.pow(2, bits) - 1;
        return 1 / (levels * levels);
    }

    /**
     * Φ_q(γ, q) = c_quant (1 − γ) v(q), docs/model.md eq. 7a: the rounding of the (1 − γ) share of the adapter a
     * device sends, whose variance enters the convergence bound as gradient noise does (FedPAQ: Reisizadeh et al.,
     * AISTATS 2020, Theorem 1). Non-increasing in γ and in q; exactly 0 at 32 bits or with c_quant = 0.
     */
    public double quantisation(double gamma, int bits) {
        if (cQuant == null || bits >= FULL_PRECISION) {
            return 0;
        }
        return cQuant * (1 - gamma) * quantisationVariance(bits);
    }

    /** {@code s(γ) = 1 − (1 − γ)² = 2γ − γ²}, docs/model.md eq. 3. */
    public static double sparsity(double gamma) {
        return 2 * gamma - gamma * gamma;
    }

    /** Φ_emp(γ), docs/model.md eq. 7: non-decreasing in γ. */
    public double empirical(double gamma) {
        return epsilon0 + cVar * gamma / (1 - gamma) + cReg * sparsity(gamma);
    }

    /** Φ_gap(γ) for a device with D samples, docs/model.md eq. 8: non-increasing in γ. */
    public double gap(double gamma, long samples) {
        double m = lossBound;
        double stability = strongConvexity + 2 * sparsityWeight * sparsity(gamma);
        return Math.sqrt((m * m + 24 * m * lipschitz * lipschitz / stability) / (2 * samples * confidence));
    }

    /** d Φ_emp / dγ. */
    public double empiricalSlope(double gamma) {
        return cVar / ((1 - gamma) * (1 - gamma)) + cReg * 2 * (1 - gamma);
    }

    /** d Φ_gap / dγ. */
    public double gapSlope(double gamma, long samples) {
        double m = lossBound;
        double stability = strongConvexity + 2 * sparsityWeight * sparsity(gamma);
        double inner = (m * m + 24 * m * lipschitz * lipschitz / stability) / (2 * samples * confidence);
        double dInner = -24 * m * lipschitz * lipschitz * 2 * sparsityWeight * 2 * (1 - gamma)
                / (stability * stability) / (2 * samples * confidence);
        return dInner / (2 * Math.sqrt(inner));
    }
}
