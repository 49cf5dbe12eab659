package org.fedlodrop.api.planning;

import java.util.List;

/**
 * One cell's planning problem in one round (docs/model.md §5): the devices with the channel gains the
 * planner sees, the cell's band shared by FDMA, and the budgets each plan must meet.
 */
public interface CellRound {
    /** 0-based round. */
    int round();

    /** 0-based cell. */
    int cell();

    /** The cell's band B in Hz; the devices' bandwidths must sum to at most B. */
    double bandwidthHz();

    /** The per-round latency budget T_max in s (docs/model.md eq. 14). */
    double latencyBudgetS();

    /** The cell's devices this round, in the order the plan must answer them. */
    List<Device> devices();

    /**
     * The built-in allocation for given dropout rates (one per device, in order): each device gets the least
     * bandwidth that meets its budgets plus an equal share of what is left, and the energy-optimal power and
     * frequency for it (docs/model.md §5). A planner that only chooses γ returns this.
     */
    CellPlan allocate(double[] gammas);

    /** One device's side of the problem. */
    interface Device {
        /** The device's global index (as in devices.csv). */
        int device();

        /** The channel power gain g_k the planner sees (an estimate under imperfect CSI). */
        double gain();

        /** D_k, the device's training samples. */
        long samples();

        /** ρ_k = D_k / Σ D, its weight in the aggregation and the bound. */
        double weight();

        double maxPowerW();

        double minFrequencyHz();

        double maxFrequencyHz();

        /** Its energy budget E^max_k in J. */
        double energyBudgetJ();

        /** S(γ), the sub-adapter's upload in bits at dropout rate γ (eq. 5). */
        double payloadBits(double gamma);

        /** C(γ), the CPU cycles of the round's local training at dropout rate γ (eq. 12). */
        double cycles(double gamma);

        /** G_k(γ), the device's term of the generalisation bound FedLoDrop minimises (eq. 6). */
        double boundTerm(double gamma);

        /** The least bandwidth with which the device meets both budgets at γ; +∞ if none does. */
        double minimumBandwidthHz(double gamma);

        /**
         * The least-energy power and frequency that meet the latency budget at γ with bandwidth b, or
         * {@code null} if none does (the energy may still exceed the device's budget: compare).
         */
        Operation leastEnergy(double gamma, double bandwidthHz);
    }

    /** An operating point of one device for (γ, b). */
    record Operation(double powerW, double frequencyHz, double downloadS, double computeS, double uploadS,
                     double energyJ) {
    }
}
