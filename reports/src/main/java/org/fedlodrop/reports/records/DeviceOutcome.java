package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonValue;

/** What became of a device's work in a round (docs/model.md §4, after eq. 14). */
public enum DeviceOutcome {
    /** The upload arrived by the deadline and was aggregated. */
    AGGREGATED("aggregated"),
    /** Download, computation or upload did not finish by the deadline; the device stopped there. */
    MISSED_DEADLINE("missed_deadline"),
    /** The device's energy budget could not pay computation and upload, so it refused the work. */
    REFUSED_ENERGY("refused_energy"),
    /**
     * The planner left the device out of the round (no γ ≤ γ_max lets it meet the budgets, or the band
     * cannot hold it): nothing was sent to it and it spent nothing.
     */
    UNSERVED("unserved"),
    /**
     * The device was offline in this round (its availability chain or trace): it was neither planned
     * nor sent anything, and spent nothing.
     */
    OFFLINE("offline");

    private final String label;

    DeviceOutcome(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
