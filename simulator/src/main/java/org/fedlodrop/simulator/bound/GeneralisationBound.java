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
 */
public record GeneralisationBound(double epsilon0, double cVar, double cReg, double lossBound, double lipschitz,
                                  double strongConvexity, double sparsityWeight, double confidence) {

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
