package org.fedlodrop.simulator.wireless;

/** What channel state the planner sees; realised rates always use the true gains (docs/wireless.md). */
public enum CsiModel {
    /** The true gains. */
    PERFECT,
    /** Gains of a noisy estimate ĥ = h + e, e ~ CN(0, {@code csi.error_variance}). */
    NOISY,
    /** The gains of the previous round. */
    STALE
}
