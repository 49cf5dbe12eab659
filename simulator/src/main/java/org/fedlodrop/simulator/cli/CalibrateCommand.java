package org.fedlodrop.simulator.cli;

import org.fedlodrop.simulator.run.ScratchDirectory;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.planning.BoundCalibration;
import org.fedlodrop.simulator.bound.GeneralisationBound;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioWriter;
import org.fedlodrop.simulator.scenario.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit the generalisation bound's constants (planner.bound) to measured losses: short runs",
                "of the scenario's workload at a few fixed dropout rates, every device taking part, then a",
                "least-squares fit of Φ_emp to the training loss and of Φ_gap to the gap (docs/model.md eqs. 7, 8);",
                "with --bits, runs at the first rate with uploads rounded to each width fit c_quant (eq. 7a) too."})
final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file with a learning workload.")
    Path scenario;

    @Mixin
    ScenarioArguments arguments;

    @Option(names = "--rates", split = ",", defaultValue = "0,0.3,0.6,0.9",
            description = "Dropout rates to measure at, at least 3 (default ${DEFAULT-VALUE}).")
    double[] rates;

    @Option(names = "--bits", split = ",", paramLabel = "Q",
            description = "Bit widths below 32 to measure at as well, at the first rate, to fit planner.bound.c_quant "
                    + "(e.g. 2,4; default: none, c_quant kept).")
    int[] bits = new int[0];

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of each run (default: the scenario's).")
    Integer rounds;

    @Option(names = "--write", paramLabel = "FILE",
            description = "Also write the scenario with the fitted planner.bound to FILE (a new file).")
    Path write;

    @Override
    public Integer call() throws Exception {
        LoadedScenario base = arguments.load(scenario);
        if (base.scenario().data().workload() == Workload.NONE) {
            throw new UserInputException(scenario + ": data.workload is none; calibration needs a learning workload "
                    + "(e.g. --set data.workload=synthetic)");
        }
        if (rates.length < 3 || java.util.Arrays.stream(rates).anyMatch(r -> !(r >= 0 && r < 0.99))) {
            throw new UserInputException("--rates: expected at least 3 dropout rates in [0, 0.99)");
        }
        for (int q : bits) {
            if (q < 1 || q >= GeneralisationBound.FULL_PRECISION) {
                throw new UserInputException("--bits " + q + ": expected widths from 1 to 31 (32 is measured anyway)");
            }
        }
        if (rounds != null && rounds < 1) {
            throw new UserInputException("--rounds " + rounds + ": expected at least 1");
        }
        if (write != null && Files.exists(write)) {
            throw new UserInputException("--write " + write + ": the file exists; choose a new one so nothing is overwritten");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<BoundCalibration.Measurement> measurements = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (double rate : rates) {
            points.add(new double[] {rate, GeneralisationBound.FULL_PRECISION});
        }
        for (int q : bits) {
            points.add(new double[] {rates[0], q});
        }
        for (double[] point : points) {
            double rate = point[0];
            int q = (int) point[1];
            List<String> overrides = new ArrayList<>(arguments.overrides);
            // Every device takes part: the budgets must not decide what is measured; the fixed planner sends every
            // upload at model.bits_per_parameter.
            overrides.addAll(List.of("planner.solver=fixed", "dropout.rate=" + rate, "dropout.max_rate=0.99",
                    "budgets.latency_s=1e8", "budgets.energy_j=1e11", "model.bits_per_parameter=" + q,
                    "model.round_download=false"));
            if (rounds != null) {
                overrides.add("rounds=" + rounds);
            }
            if (arguments.seed != null) {
                overrides.add("seed=" + arguments.seed);
            }
            LoadedScenario run = org.fedlodrop.simulator.scenario.ScenarioLoader.load(scenario, overrides);
            measurements.add(measure(run, rate, q));
            err.printf(q < GeneralisationBound.FULL_PRECISION ? "calibrate: γ = %.3g at %d bits measured%n"
                    : "calibrate: γ = %.3g measured%n", rate, q);
            err.flush();
        }
        BoundCalibration.Fit fit;
        try {
            fit = BoundCalibration.fit(measurements, base.scenario().planner().bound(),
                    base.scenario().data().samplesPerDevice());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(scenario + ": cannot calibrate: " + e.getMessage()
                    + " (try more rounds or other --rates)");
        }
        GeneralisationBound b = fit.bound();
        boolean quantised = bits.length > 0;
        out.println(quantised ? "| γ | bits | train loss | fitted Φ_emp + Φ_q | gap | fitted Φ_gap |"
                : "| γ | train loss | fitted Φ_emp | gap | fitted Φ_gap |");
        out.println(quantised ? "|---:|---:|---:|---:|---:|---:|" : "|---:|---:|---:|---:|---:|");
        for (BoundCalibration.Measurement m : measurements) {
            double fitted = b.empirical(m.gamma()) + b.quantisation(m.gamma(), m.bits());
            if (quantised) {
                out.printf("| %.3g | %d | %.4f | %.4f | %.4f | %.4f |%n", m.gamma(), m.bits(), m.trainLoss(), fitted,
                        m.gap(), b.gap(m.gamma(), base.scenario().data().samplesPerDevice()));
            } else {
                out.printf("| %.3g | %.4f | %.4f | %.4f | %.4f |%n", m.gamma(), m.trainLoss(), fitted, m.gap(),
                        b.gap(m.gamma(), base.scenario().data().samplesPerDevice()));
            }
        }
        out.printf("%nRMSE: Φ_emp %.4g, Φ_gap %.4g%n%n", fit.empiricalRmse(), fit.gapRmse());
        out.printf("planner:%n  bound:%n    epsilon0: %s%n    c_var: %s%n    c_reg: %s%n    loss_bound: %s%n"
                        + "    lipschitz: %s%n    strong_convexity: %s%n    sparsity_weight: %s%n    confidence: %s%n",
                b.epsilon0(), b.cVar(), b.cReg(), b.lossBound(), b.lipschitz(), b.strongConvexity(), b.sparsityWeight(),
                b.confidence());
        if (b.quantisationWeight() > 0 || quantised) {
            out.printf("    c_quant: %s%n", b.quantisationWeight());
        }
        if (write != null) {
            Scenario s = base.scenario();
            Scenario calibrated = s.withPlanner(s.planner().withBound(b));
            AtomicFiles.write(write, ScenarioWriter.yaml(calibrated).getBytes(StandardCharsets.UTF_8));
            out.printf("%nwrote %s%n", write);
        }
        return FedLoDrop.EXIT_OK;
    }

    /** Training loss and gap of the global model, averaged over the last three rounds of a run. */
    private static BoundCalibration.Measurement measure(LoadedScenario run, double rate, int bits) throws Exception {
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-calibrate")) {
            ScenarioRun.execute(run, scratch.path(), Runtime.getRuntime().availableProcessors(), RunProgress.NONE);
            List<RoundRecord> rows = RunTables.readCsv(scratch.path().resolve(RunFiles.ROUNDS), RoundRecord.class);
            List<RoundRecord> last = rows.subList(Math.max(0, rows.size() - 3), rows.size());
            double train = last.stream().mapToDouble(RoundRecord::trainLoss).average().orElse(Double.NaN);
            double gap = last.stream().mapToDouble(RoundRecord::genGap).average().orElse(Double.NaN);
            return new BoundCalibration.Measurement(rate, train, gap, bits);
        }
    }
}
