package org.fedlodrop.simulator.planning;

import org.fedlodrop.simulator.bound.GeneralisationBound;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.lora.SubAdapterCut;
import org.fedlodrop.models.profile.ModelProfile;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.fleet.DeviceProfile;
import org.fedlodrop.simulator.fleet.Fleet;
import org.fedlodrop.simulator.learning.BuiltInAggregations;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.wireless.RadioSettings;

/**
 * Builds a cell's problem P for a round from the scenario and the gains the planner sees.
 *
 * @param mergeS what a round that ends with a cloud merge spends on the backhaul, taken from its latency budget
 *               (docs/hierarchy.md); 0 without a backhaul
 */
public record CellProblems(Scenario scenario, ModelProfile profile, Fleet fleet, RadioSettings radio, double mergeS) {

    public CellProblems(Scenario scenario, ModelProfile profile, Fleet fleet, RadioSettings radio) {
        this(scenario, profile, fleet, radio,
                scenario.topology().hierarchical() ? scenario.cloudTransfers(profile).roundTripS() : 0);
    }

    /** The devices' latency budget in a round: all of it, less the backhaul's time where the round ends with a cloud merge. */
    public double latencyS(int round) {
        return scenario.budgets().latencyS() - (scenario.cloudMerges(round) ? mergeS : 0);
    }

    public GeneralisationBound bound() {
        return scenario.planner().bound();
    }

    public PlanningProblem build(int round, int[] devices, double[] gains, double bandwidthHz) {
        return build(round, devices, gains, bandwidthHz, null);
    }

    /**
     * As above, device i downloading {@code residualBits[i]} bits of W0 change besides its sub-adapter (null: the most
     * a round's can be, {@link #residualBits(int)}).
     */
    public PlanningProblem build(int round, int[] devices, double[] gains, double bandwidthHz, double[] residualBits) {
        int bits = scenario.model().bitsPerParameter();
        return new PlanningProblem(sides(round, devices, gains, bits, residualBits), bits, bandwidthHz,
                scenario.dropout().maxRate(), bound());
    }

    /**
     * The cell's problem with each device choosing its bits from {@code model.bit_widths} (issue 31), or
     * {@link #build} where the scenario plans no bits.
     */
    public PlanningProblem buildWithWidths(int round, int[] devices, double[] gains, double bandwidthHz) {
        return buildWithWidths(round, devices, gains, bandwidthHz, null);
    }

    /** As above, device i downloading {@code residualBits[i]} bits of W0 change (null: the most there can be). */
    public PlanningProblem buildWithWidths(int round, int[] devices, double[] gains, double bandwidthHz,
                                           double[] residualBits) {
        if (!scenario.model().plansBits()) {
            return build(round, devices, gains, bandwidthHz, residualBits);
        }
        int[] widths = widths();
        List<DeviceProblem[]> byWidth = new ArrayList<>(devices.length);
        for (int i = 0; i < devices.length; i++) {
            byWidth.add(new DeviceProblem[widths.length]);
        }
        for (int v = 0; v < widths.length; v++) {
            List<DeviceProblem> sides = sides(round, devices, gains, widths[v], residualBits);
            for (int i = 0; i < devices.length; i++) {
                byWidth.get(i)[v] = sides.get(i);
            }
        }
        return PlanningProblem.withWidths(byWidth, widths, bandwidthHz, scenario.dropout().maxRate(), bound());
    }

    /** {@code model.bit_widths} in increasing order. */
    private int[] widths() {
        return scenario.model().bitWidths().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Each device's side of P when it sends at {@code bits}. */
    private List<DeviceProblem> sides(int round, int[] devices, double[] gains, int bits, double[] residualBits) {
        Scenario.Model model = scenario.model();
        // The plan uses all the time the budget leaves, so it must not under-count: with exact masks the
        // payload is the exact count of kept entries (eq. 5 with ⌊γ n⌋), with Bernoulli masks only its
        // mean is known. A microsecond of the budget is kept back for the nanosecond rounding of event times.
        boolean exact = scenario.dropout().mask() == MaskMode.EXACT;
        DoubleUnaryOperator payload = exact
                ? gamma -> SubAdapterCut.exact(profile, model.rank(), gamma).uploadBits(bits)
                : gamma -> profile.expectedUploadBits(model.rank(), gamma, bits);
        double roundResidual = residualBits == null ? residualBits(round) : 0;
        double latency = latencyS(round) - 1e-6;
        List<DeviceProblem> list = new ArrayList<>(devices.length);
        for (int i = 0; i < devices.length; i++) {
            double residual = residualBits == null ? roundResidual : residualBits[i];
            // The download: the sub-adapter (unrounded unless model.round_download), and the W0 change of exact aggregation.
            DoubleUnaryOperator download = exact
                    ? gamma -> SubAdapterCut.exact(profile, model.rank(), gamma).downloadBits(bits, model.roundDownload()) + residual
                    : gamma -> profile.expectedDownloadBits(model.rank(), gamma, bits, model.roundDownload()) + residual;
            // Each device's own processor, power, budget and data: D_k and ρ_k = D_k / Σ D over all devices of the run (eq. 6).
            DeviceProfile device = fleet.device(devices[i]);
            ComputeLoad load = ComputeLoad.of(profile, model.rank(), device.flopsPerCycle());
            long samples = device.samples();
            int epochs = device.localEpochs();
            list.add(new DeviceProblem(devices[i], gains[i], payload, download, gamma -> load.cycles(epochs, samples, gamma),
                    samples, fleet.dataWeight(devices[i]), radio.noisePsdWPerHz(), radio.baseStationPowerW(),
                    device.maxPowerW(), device.cpuMinHz(), device.cpuMaxHz(), device.kappa(), latency,
                    device.energyBudgetJ()));
        }
        return list;
    }

    /**
     * The most W0 change a device can download in a round after {@code exact} aggregation (eq. 4): every device of
     * the run folded. For plans made without the base station, which knows what it folded and passes it
     * ({@link #build(int, int[], double[], double, double[])}): the planner bench, calibration, tests.
     */
    public double residualBits(int round) {
        if (!scenario.dropout().aggregation().equals(BuiltInAggregations.EXACT) || round == 0) {
            return 0;
        }
        // With a backhaul, after a merge every device downloads what the cells folded in all the rounds it merged;
        // after a round without one, what its own cell folded in that round (at most every device of the run).
        int rounds = scenario.cloudMerges(round - 1) ? scenario.roundsMergedAt(round - 1) : 1;
        return profile.foldedResidualBits(scenario.model().rank(), scenario.devices().count() * rounds,
                scenario.model().bitsPerParameter());
    }
}
