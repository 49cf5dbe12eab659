package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.List;

/** Which devices P cannot serve, and why (docs/model.md §5: an infeasible instance is reported, not hidden). */
public final class Feasibility {
    private Feasibility() {
    }

    /** For rates chosen by a rule: the devices that cannot be served at their rate, and whether the band suffices. */
    public static List<String> unservedAt(PlanningProblem problem, double[] gammas) {
        List<String> unserved = new ArrayList<>();
        double total = 0;
        for (int k = 0; k < problem.size(); k++) {
            double band = problem.minimumBandwidth(k, gammas[k]);
            if (Double.isInfinite(band)) {
                unserved.add(String.format("device %d: cannot meet the budgets at γ = %.4g even with the whole band",
                        problem.devices().get(k).device(), gammas[k]));
            } else {
                total += band;
            }
        }
        if (unserved.isEmpty() && total > problem.bandwidthHz()) {
            unserved.add(String.format("all devices: Σ b^min(γ) = %.6g Hz exceeds the band of %.6g Hz",
                    total, problem.bandwidthHz()));
        }
        return unserved;
    }

    /** Why the device at position k cannot meet the budgets even at γ_max with the whole band. */
    static String whyNot(PlanningProblem problem, int k) {
        DeviceProblem device = problem.devices().get(k);
        double gammaMax = problem.maxGamma();
        DeviceProblem.Operation whole = device.leastEnergy(gammaMax, problem.bandwidthHz());
        return "device " + device.device() + ": " + (whole == null
                ? "misses the latency budget even at γ_max with the whole band, P_max and f_max"
                : String.format("needs %.4g J > energy budget %.4g J even at γ_max with the whole band",
                        whole.energyJ(), device.energyBudgetJ()));
    }

    /** Empty when γ = γ_max for all fits the band; otherwise one line per device that cannot be served. */
    public static List<String> unserved(PlanningProblem problem) {
        List<String> unserved = new ArrayList<>();
        double total = 0;
        double gammaMax = problem.maxGamma();
        for (int k = 0; k < problem.size(); k++) {
            double band = problem.minimumBandwidth(k, gammaMax);
            if (Double.isInfinite(band)) {
                unserved.add(whyNot(problem, k));
            } else {
                total += band;
            }
        }
        if (unserved.isEmpty() && total > problem.bandwidthHz()) {
            unserved.add(String.format("all devices: Σ b^min(γ_max) = %.6g Hz exceeds the band of %.6g Hz",
                    total, problem.bandwidthHz()));
        }
        return unserved;
    }
}
