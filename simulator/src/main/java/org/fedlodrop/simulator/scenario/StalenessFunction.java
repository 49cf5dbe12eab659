package org.fedlodrop.simulator.scenario;

/**
 * How much an update counts by how many server steps old its base is, τ (Xie, Koyejo and Gupta, "Asynchronous
 * Federated Optimization", 2019, §5.2; docs/buffered.md).
 */
public enum StalenessFunction {
    /** s(τ) = 1. */
    CONSTANT,
    /** s(τ) = (1 + τ)^−a. */
    POLYNOMIAL,
    /** s(τ) = 1 for τ ≤ b, 1 / (a (τ − b) + 1) after. */
    HINGE;

    /** s(τ) with the scenario's a and b. */
    public double weight(int staleness, double a, double b) {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness " + staleness);
        }
        return switch (this) {
            case CONSTANT -> 1;
            case POLYNOMIAL -> Math.pow(1 + staleness, -a);
            case HINGE -> staleness <= b ? 1 : 1 / (a * (staleness - b) + 1);
        };
    }
}
