package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.api.planning.CellPlan;
import org.fedlodrop.api.planning.CellPlanner;
import org.fedlodrop.api.planning.CellRound;
import org.fedlodrop.simulator.extension.ExtensionFailure;

/**
 * A plugin's {@link CellPlanner} as the simulator's {@link RoundPlanner}: each round's {@link PlanningProblem}
 * shown through the API's {@link CellRound}, and every plan checked before the round uses it (one decision
 * per device, γ in [0, 1), bandwidths that fit the band, power and frequency within the device's limits).
 */
public final class ExtensionPlanner implements RoundPlanner {
    /** A band's sum may exceed B by float rounding, not more. */
    private static final double BAND_TOLERANCE = 1e-9;
    private final String type;
    private final String name;
    private final CellPlanner planner;
    private final CellProblems problems;

    /** @param name how failures name it, e.g. "planner 'data-proportional' (example.jar)" */
    public ExtensionPlanner(String type, String name, CellPlanner planner, CellProblems problems) {
        this.type = type;
        this.name = name;
        this.planner = planner;
        this.problems = problems;
    }

    @Override
    public String name() {
        return type;
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz) {
        return plan(round, cell, devices, gains, bandwidthHz, null);
    }

    @Override
    public RoundPlan plan(int round, int cell, int[] devices, double[] gains, double bandwidthHz, double[] residualBits) {
        PlanningProblem problem = problems.build(round, devices, gains, bandwidthHz, residualBits);
        CellPlan plan;
        try {
            plan = planner.plan(new ProblemRound(round, cell, problem, problems.latencyS(round)));
        } catch (RuntimeException | LinkageError e) {
            throw new ExtensionFailure(name + " failed in round " + round + ", cell " + cell + ": " + e, e);
        }
        String where = name + " in round " + round + ", cell " + cell;
        if (plan == null || plan.devices().size() != devices.length) {
            throw new ExtensionFailure(where + ": expected one decision per device (" + devices.length + "), got "
                    + (plan == null ? "no plan" : plan.devices().size()), null);
        }
        List<DevicePlan> plans = new ArrayList<>(devices.length);
        double[] gammas = new double[devices.length];
        double band = 0;
        for (int i = 0; i < devices.length; i++) {
            CellPlan.Decision d = plan.devices().get(i);
            DeviceProblem device = problem.devices().get(i);
            String at = where + ", device " + devices[i] + ": ";
            check(d.gamma() >= 0 && d.gamma() < 1, at + "expected gamma in [0, 1), got " + d.gamma());
            check(d.gamma() <= problem.maxGamma() + 1e-12, at + "expected gamma at most dropout.max_rate ("
                    + problem.maxGamma() + "), got " + d.gamma());
            check(d.bandwidthHz() >= 0 && Double.isFinite(d.bandwidthHz()), at + "expected bandwidth_hz >= 0, got " + d.bandwidthHz());
            if (d.bandwidthHz() > 0) {
                check(d.powerW() > 0 && d.powerW() <= device.maxPowerW() * (1 + 1e-9), at + "expected power_w in (0, "
                        + device.maxPowerW() + "], got " + d.powerW());
                check(d.frequencyHz() >= device.minFrequencyHz() * (1 - 1e-9) && d.frequencyHz() <= device.maxFrequencyHz() * (1 + 1e-9),
                        at + "expected frequency_hz in [" + device.minFrequencyHz() + ", " + device.maxFrequencyHz() + "], got "
                        + d.frequencyHz());
            }
            band += d.bandwidthHz();
            gammas[i] = d.gamma();
            plans.add(new DevicePlan(devices[i], d.gamma(), d.bandwidthHz(), d.powerW(), d.frequencyHz()));
        }
        check(band <= bandwidthHz * (1 + BAND_TOLERANCE), where + ": expected bandwidths that sum to at most the cell's "
                + bandwidthHz + " Hz, got " + band);
        return new RoundPlan(round, cell, type, plans, problem.objective(gammas), Double.NaN, 0,
                Feasibility.unservedAt(problem, gammas));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ExtensionFailure(message, null);
        }
    }

    /** The API's view of a cell's problem. */
    private record ProblemRound(int round, int cell, PlanningProblem problem, double latencyBudgetS, List<Device> devices)
            implements CellRound {
        ProblemRound(int round, int cell, PlanningProblem problem, double latencyBudgetS) {
            this(round, cell, problem, latencyBudgetS, java.util.stream.IntStream.range(0, problem.size())
                    .<Device>mapToObj(k -> new ProblemDevice(problem, k)).toList());
        }

        @Override
        public double bandwidthHz() {
            return problem.bandwidthHz();
        }

        @Override
        public CellPlan allocate(double[] gammas) {
            if (gammas.length != problem.size()) {
                throw new IllegalArgumentException("expected " + problem.size() + " dropout rates, got " + gammas.length);
            }
            List<CellPlan.Decision> decisions = new ArrayList<>();
            for (DevicePlan plan : ResourceAllocation.allocate(problem, gammas)) {
                decisions.add(new CellPlan.Decision(plan.gamma(), plan.bandwidthHz(), plan.powerW(), plan.frequencyHz()));
            }
            return new CellPlan(decisions);
        }
    }

    private record ProblemDevice(PlanningProblem problem, int k) implements CellRound.Device {
        private DeviceProblem it() {
            return problem.devices().get(k);
        }

        @Override
        public int device() {
            return it().device();
        }

        @Override
        public double gain() {
            return it().gain();
        }

        @Override
        public long samples() {
            return it().samples();
        }

        @Override
        public double weight() {
            return it().weight();
        }

        @Override
        public double maxPowerW() {
            return it().maxPowerW();
        }

        @Override
        public double minFrequencyHz() {
            return it().minFrequencyHz();
        }

        @Override
        public double maxFrequencyHz() {
            return it().maxFrequencyHz();
        }

        @Override
        public double energyBudgetJ() {
            return it().energyBudgetJ();
        }

        @Override
        public double payloadBits(double gamma) {
            return it().payloadBits().applyAsDouble(gamma);
        }

        @Override
        public double cycles(double gamma) {
            return it().cycles().applyAsDouble(gamma);
        }

        @Override
        public double boundTerm(double gamma) {
            return problem.deviceObjective(k, gamma);
        }

        @Override
        public double minimumBandwidthHz(double gamma) {
            return problem.minimumBandwidth(k, gamma);
        }

        @Override
        public CellRound.Operation leastEnergy(double gamma, double bandwidthHz) {
            DeviceProblem.Operation o = it().leastEnergy(gamma, bandwidthHz);
            return o == null ? null : new CellRound.Operation(o.powerW(), o.frequencyHz(), o.downloadS(), o.computeS(),
                    o.uploadS(), o.energyJ());
        }
    }
}
