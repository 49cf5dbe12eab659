package org.fedlodrop.simulator.scenario;

/** Small-scale fading models of {@code channel.fading} (docs/model.md §3, eq. 9; docs/wireless.md). */
public enum FadingModel {
    /** |h|² exponential with mean 1. */
    RAYLEIGH,
    /** Line of sight plus scatter with K-factor {@code channel.rician_k}; mean power 1. */
    RICIAN,
    /** |h|² Gamma(m, 1/m) with {@code channel.nakagami_m}; mean power 1. */
    NAKAGAMI,
    /** |h|² = 1. */
    NONE,
    /** The whole gain g_k of every round read from {@code channel.trace_file}. */
    TRACE
}
