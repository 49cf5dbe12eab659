package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FedLoDrop planner (docs/model.md §5): {@code bnb} solves P globally every round; {@code psca}
 * solves it globally once, on the first round's channel (in a cell of more than 100 devices by P-SCA
 * from {@link DualStart} instead), then runs P-SCA each round on the current channel, warm-started
 * from the cell's previous rates. Owned by the planner actor, which may plan a round's cells at once:
 * a cell's plan reads only its problem and that cell's own warm start.
 */
public final class OptimisingPlanner implements RoundPlanner {
    private final boolean online;
    private final CellProblems problems;
    private final BranchAndBound.Settings settings;
    /** Each cell's last rates, by device; cells may be planned at once (one entry per cell, each cell alone). */
    private final Map<Integer, Map<Integer, Double>> previous = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each cell's last widths (options of model.bit_widths), by device. */
    private final Map<Integer, Map<Integer, Integer>> previousWidths = new java.util.concurrent.ConcurrentHashMap<>();

    public OptimisingPlanner(boolean online, CellProblems problems, double relativeGap) {
        this.online = online;
        this.problems = problems;
        this.settings = new BranchAndBound.Settings(relativeGap, BranchAndBound.Settings.defaults().initialPieces(),
                BranchAndBound.Settings.defaults().maxNodes());
    }

    @Override
    public String name() {
        return online ? "psca" : "bnb";
    }

    @Override
    public boolean plansCellsIndependently() {
        return true;
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz) {
        return plan(round, cell, devices, gains, bandwidthHz, null);
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz, double[] residualBits) {
        PlanningProblem full = problems.buildWithWidths(round, devices, gains, bandwidthHz, residualBits);
        boolean plansBits = problems.scenario().model().plansBits();
        List<String> reasons = new ArrayList<>();
        int[] kept = servable(full, reasons);
        int[] keptDevices = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            keptDevices[i] = devices[kept[i]];
        }
        PlanningProblem problem = full.subset(kept);
        Map<Integer, Double> last = previous.get(cell);
        Map<Integer, Integer> lastWidths = previousWidths.get(cell);
        GammaSolution solution;
        if (online && last != null) {
            double[] start = new double[keptDevices.length];
            int[] startWidths = new int[keptDevices.length];
            for (int i = 0; i < keptDevices.length; i++) {
                start[i] = last.getOrDefault(keptDevices[i], problem.maxGamma() / 2);
                startWidths[i] = lastWidths.getOrDefault(keptDevices[i], 0);
            }
            solution = WidthSearch.online(problem, start, startWidths);
        } else if (online && problem.size() > DualStart.LARGE_CELL) {
            // A large cell's first plan: B&B would take minutes; P-SCA from the band's Lagrangian relaxation.
            int[] startWidths = new int[problem.size()];
            solution = WidthSearch.online(problem, DualStart.of(problem.atWidths(startWidths)), startWidths);
        } else {
            solution = new BranchAndBound(problem, settings).solve();
        }
        int[] widths = solution.widths();
        Map<Integer, Double> rates = new HashMap<>();
        Map<Integer, Integer> widthsByDevice = new HashMap<>();
        Map<Integer, DevicePlan> plans = new HashMap<>();
        List<DevicePlan> allocated = ResourceAllocation.allocate(problem.atWidths(widths), solution.gammas());
        for (int i = 0; i < keptDevices.length; i++) {
            rates.put(keptDevices[i], solution.gammas()[i]);
            widthsByDevice.put(keptDevices[i], widths[i]);
            DevicePlan plan = allocated.get(i);
            plans.put(keptDevices[i], plansBits ? plan.withBits(problem.bits(i, widths[i])) : plan);
        }
        previous.put(cell, rates);
        previousWidths.put(cell, widthsByDevice);
        // Devices left out get γ_max and no band: they cannot be served this round, and say so.
        List<DevicePlan> ordered = new ArrayList<>(devices.length);
        double[] gammas = new double[devices.length];
        int[] fullWidths = new int[devices.length];
        for (int i = 0; i < devices.length; i++) {
            DeviceProblem device = full.devices().get(i);
            DevicePlan plan = plans.getOrDefault(devices[i],
                    new DevicePlan(devices[i], full.maxGamma(), 0, device.maxPowerW(), device.maxFrequencyHz()));
            ordered.add(plan);
            gammas[i] = plan.gamma();
            fullWidths[i] = widthsByDevice.getOrDefault(devices[i], 0);
        }
        double lowerBound = kept.length == devices.length ? solution.lowerBound() : Double.NaN;
        return new RoundPlan(round, cell, name(), ordered, full.objective(gammas, fullWidths), lowerBound,
                solution.iterations(), reasons);
    }

    /**
     * Positions of the devices P can serve together: those that γ_max lets meet the budgets with the
     * whole band, less (greedily, the most demanding first) any whose b^min(γ_max) the band cannot hold.
     * Adds to {@code reasons} one line per device left out.
     */
    public static int[] servable(PlanningProblem problem, List<String> reasons) {
        List<Integer> kept = new ArrayList<>();
        double[] need = new double[problem.size()];
        double total = 0;
        for (int k = 0; k < problem.size(); k++) {
            // With several widths, the first (the fewest bits, the smallest payload) needs the least band.
            need[k] = problem.minimumBandwidth(k, problem.maxGamma());
            if (Double.isFinite(need[k])) {
                kept.add(k);
                total += need[k];
            } else {
                reasons.add(Feasibility.whyNot(problem, k));
            }
        }
        kept.sort(Comparator.comparingDouble(k -> need[k]));
        double demanded = total;
        while (total > problem.bandwidthHz() && !kept.isEmpty()) {
            int dropped = kept.remove(kept.size() - 1);
            total -= need[dropped];
            reasons.add(String.format("device %d: left out: b^min(γ_max) = %.4g Hz, and the servable devices need "
                            + "%.6g Hz of a %.6g Hz band (the most demanding are left out first)",
                    problem.devices().get(dropped).device(), need[dropped], demanded, problem.bandwidthHz()));
        }
        kept.sort(Comparator.naturalOrder());
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }
}
