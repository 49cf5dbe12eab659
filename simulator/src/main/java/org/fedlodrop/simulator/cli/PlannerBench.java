package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.planning.BranchAndBound;
import org.fedlodrop.simulator.planning.DualStart;
import org.fedlodrop.simulator.planning.GammaSolution;
import org.fedlodrop.simulator.planning.OptimisingPlanner;
import org.fedlodrop.simulator.planning.PenalizedSca;
import org.fedlodrop.simulator.planning.PlanningProblem;
import org.fedlodrop.simulator.planning.RandomInstances;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "planner", mixinStandardHelpOptions = true,
        description = {"Median solve time of branch and bound (certified gap 1e-4) and P-SCA (cold start at",
                "γ_max / 2) on random feasible instances of P, and P-SCA's relative gap to B&B, for",
                "K = 5, 10, 20, 50, 100 devices. Above 100 devices only P-SCA runs (B&B would take minutes), from",
                "DualStart as psca starts a large cell, on fleets whose every device can be served. --cells adds a row",
                "of many cells planned round after round, one P-SCA per cell warm-started from its last round,",
                "spread over --threads threads."})
final class PlannerBench implements Callable<Integer> {
    /** The largest K at which B&B runs beside P-SCA. */
    private static final int GLOBAL_LIMIT = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--instances", defaultValue = "5", description = "Feasible instances per K (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--sizes", split = ",", defaultValue = "5,10,20,50,100", description = "Values of K (default ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--cells", defaultValue = "0",
            description = "Also plan this many cells of --cell-size devices each, round after round (--instances warm rounds"
                    + " after a cold one), as psca plans a large fleet (default: no such row).")
    int cells;

    @Option(names = "--cell-size", defaultValue = "100", description = "Devices per cell of the --cells row (default ${DEFAULT-VALUE}).")
    int cellSize;

    @Option(names = "--threads", defaultValue = "2", description = "Threads that plan the cells of the --cells row (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--plot", paramLabel = "FILE.svg",
            description = "Also draw the median solve times against K (logarithmic time axis) into this SVG file.")
    java.nio.file.Path plot;

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || Arrays.stream(sizes).anyMatch(k -> k < 1 || k > 10_000)) {
            throw new UserInputException("--instances must be at least 1 and --sizes from 1 to 10000");
        }
        if (cells < 0 || cellSize < 1 || cellSize > 10_000 || threads < 1) {
            throw new UserInputException("--cells must be 0 or more, --cell-size from 1 to 10000 and --threads at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fedlodrop bench planner: %d feasible random instances per K (RandomInstances: roberta-base costs, UMa, binding band)%n%n",
                instances);
        out.println("| K | B&B median ms | B&B median nodes | P-SCA median ms | P-SCA median iterations | P-SCA gap median | P-SCA gap max |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        List<double[]> bnbPoints = new ArrayList<>();
        List<double[]> scaPoints = new ArrayList<>();
        // A warm-up so that the first row does not carry the JIT's compile time.
        BranchAndBound.solve(RandomInstances.draw(5, 1));
        for (int k : sizes) {
            List<Double> bnbMs = new ArrayList<>();
            List<Double> nodes = new ArrayList<>();
            List<Double> scaMs = new ArrayList<>();
            List<Double> iterations = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            for (long seed = 0; bnbMs.size() < instances && seed < 1000L * instances; seed++) {
                boolean large = k > GLOBAL_LIMIT;
                PlanningProblem problem = large ? RandomInstances.drawServable(k, 77_000 + seed)
                        : RandomInstances.draw(k, 77_000 + seed);
                long start = System.nanoTime();
                GammaSolution global = large ? null : BranchAndBound.solve(problem);
                double globalMs = (System.nanoTime() - start) / 1e6;
                if (global != null && !global.feasible()) {
                    continue;
                }
                start = System.nanoTime();
                double[] initial;
                if (large) {
                    initial = DualStart.of(problem); // as psca starts a large cell (its time counts)
                } else {
                    initial = new double[k]; // a cold start
                    Arrays.fill(initial, problem.maxGamma() / 2);
                }
                GammaSolution online = PenalizedSca.solve(problem, initial);
                double onlineMs = (System.nanoTime() - start) / 1e6;
                bnbMs.add(global == null ? Double.NaN : globalMs);
                nodes.add(global == null ? Double.NaN : (double) global.iterations());
                scaMs.add(onlineMs);
                iterations.add((double) online.iterations());
                gaps.add(global == null ? Double.NaN : (online.objective() - global.objective()) / global.objective());
            }
            if (k <= GLOBAL_LIMIT) {
                bnbPoints.add(new double[] {k, median(bnbMs)});
            }
            scaPoints.add(new double[] {k, median(scaMs)});
            if (k <= GLOBAL_LIMIT) {
                out.printf("| %d | %.0f | %.0f | %.1f | %.0f | %.1e | %.1e |%n", k, median(bnbMs), median(nodes), median(scaMs),
                        median(iterations), median(gaps), gaps.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
            } else {
                out.printf("| %d | — | — | %.1f | %.0f | — | — |%n", k, median(scaMs), median(iterations));
            }
            out.flush();
        }
        if (cells > 0) {
            cellsRow(out);
        }
        out.printf("%nmachine: %s %s, %d processors, Java %s%n", System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (plot != null) {
            java.util.Map<String, double[][]> series = new java.util.LinkedHashMap<>();
            series.put("B&B (certified gap 1e-4)", bnbPoints.toArray(double[][]::new));
            series.put("P-SCA (cold start)", scaPoints.toArray(double[][]::new));
            try {
                org.fedlodrop.reports.html.BenchPlot.write(plot, "Median solve time", "devices K", "ms", series, true);
            } catch (java.io.IOException e) {
                throw new UserInputException("--plot " + plot + ": cannot write the file (" + e.getMessage() + ")");
            }
            out.printf("plot: %s%n", plot);
        }
        return FedLoDrop.EXIT_OK;
    }

    /**
     * One fleet of {@code cells} cells planned round after round as a run plans it with psca after its first
     * round: each cell's servable devices (OptimisingPlanner.servable), its P-SCA started from the cell's
     * previous rates (γ_max / 2 for a device new to it), the cells spread over {@code threads} threads.
     * Round 0 starts from {@link DualStart}; rounds 1 to {@code instances} bring each device's fading anew.
     */
    private void cellsRow(PrintWriter out) throws Exception {
        out.printf("%n%d cells of %d devices (%d in all), each planned by P-SCA, on %d threads: round 0 from DualStart,"
                + " then %d rounds warm-started from the cell's previous rates, fading drawn anew each round%n%n",
                cells, cellSize, cells * cellSize, threads, instances);
        out.println("| devices | cells | round 0 ms (dual start) | later rounds, median ms (warm) | slowest warm cell ms |"
                + " P-SCA iterations, round 0 | warm |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        List<java.util.Map<Integer, Double>> previous = new ArrayList<>();
        for (int c = 0; c < cells; c++) {
            previous.add(new java.util.HashMap<>());
        }
        double coldMs = Double.NaN;
        List<Double> warmMs = new ArrayList<>();
        List<Double> slowest = new ArrayList<>();
        List<Double> coldIterations = new ArrayList<>();
        List<Double> warmIterations = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round <= instances; round++) {
                List<java.util.concurrent.Callable<double[]>> jobs = new ArrayList<>();
                for (int c = 0; c < cells; c++) {
                    PlanningProblem full = RandomInstances.drawServable(cellSize, 91_000L + c, round);
                    java.util.Map<Integer, Double> last = previous.get(c);
                    jobs.add(() -> {
                        long began = System.nanoTime();
                        int[] kept = OptimisingPlanner.servable(full, new ArrayList<>());
                        PlanningProblem problem = full.subset(kept);
                        // Round 0 has no previous rates: the dual start (psca would run B&B up to 100 devices).
                        double[] start = last.isEmpty() ? DualStart.of(problem) : new double[kept.length];
                        for (int i = 0; !last.isEmpty() && i < kept.length; i++) {
                            start[i] = last.getOrDefault(full.devices().get(kept[i]).device(), problem.maxGamma() / 2);
                        }
                        GammaSolution plan = PenalizedSca.solve(problem, start);
                        double ms = (System.nanoTime() - began) / 1e6;
                        last.clear();
                        for (int i = 0; i < kept.length; i++) {
                            last.put(full.devices().get(kept[i]).device(), plan.gammas()[i]);
                        }
                        return new double[] {ms, plan.iterations()};
                    });
                }
                long start = System.nanoTime();
                List<java.util.concurrent.Future<double[]>> done = pool.invokeAll(jobs);
                double roundMs = (System.nanoTime() - start) / 1e6;
                double worst = 0;
                for (java.util.concurrent.Future<double[]> cell : done) {
                    worst = Math.max(worst, cell.get()[0]);
                    (round == 0 ? coldIterations : warmIterations).add(cell.get()[1]);
                }
                if (round == 0) {
                    coldMs = roundMs;
                } else {
                    warmMs.add(roundMs);
                    slowest.add(worst);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        out.printf("| %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f |%n", cells * cellSize, cells, coldMs, median(warmMs),
                median(slowest), median(coldIterations), median(warmIterations));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
