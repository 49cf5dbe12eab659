package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
import org.fedlodrop.simulator.bench.EndToEndBench;
import org.fedlodrop.simulator.bench.PyTorchTrainBench;
import org.fedlodrop.simulator.bench.TrainJobs.Job;
import org.fedlodrop.simulator.bench.TrainJobs;
import org.fedlodrop.simulator.scenario.EnumLabels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Local-training throughput (device-samples/s) and achieved GFLOP/s of one device's",
                "training, beside ND4J's measured matrix-multiply rate on this machine: for the workloads of",
                "scenarios/synthetic.yaml and scenarios/text.yaml, and for a 512-wide MLP and a 512-wide",
                "transformer where arithmetic dominates. ND4J runs one thread per operation, as in simulations.",
                "With --against-pytorch, the same jobs in plain PyTorch (one thread) beside them, and the ratio."})
final class TrainBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--against-pytorch", description = "Also run every job in PyTorch (a python3 with torch:"
            + " FEDLODROP_PYTHON, /usr/bin/python3 or python3 on PATH; Debian: apt-get install python3-torch)"
            + " and print both rates and their ratio, and both matrix-product rates. Each job's PyTorch rate is the"
            + " mean of one measured just before fedlodrop's rows of the job and one just after.")
    boolean againstPyTorch;

    @Option(names = "--no-simulate",
            description = {"Skip the simulate rows: whole runs of scenarios/synthetic.yaml (psca) and scenarios/text.yaml,",
                    "each in a fresh JVM with this one's options, timed with their peak resident size (they need",
                    "the installation's scenarios folder, which the launcher names)."})
    boolean skipSimulate;

    @Option(names = "--jobs", split = ",", paramLabel = "JOB,JOB,...",
            description = {"Only these jobs, by key: synthetic, mlp128, mlp512, text, transformer512, minilm, minilm128",
                    "(default: all)."})
    List<String> only = new ArrayList<>();



    /** A job's measured rate with one training engine, one device alone or a cohort of devices together. */
    private record Row(Job job, TrainingEngine engine, int cohort, double samplesPerSecond, double gflops) {
    }

    /** PyTorch's column: each job's rate, and its 512³ product rate before and after the jobs. */
    private record TorchColumn(Map<String, Double> rates, double mmulBefore, double mmulAfter, String version) {
        double mmulGflops() {
            return (mmulBefore + mmulAfter) / 2;
        }
    }

    /** Devices of the cohort rows: a round's devices trained together (training.cohort) on the java engine. */
    static final int COHORT = 8;

    @Override
    public Integer call() throws org.fedlodrop.simulator.run.UserInputException {
        for (String key : only) {
            if (!TrainJobs.JOB_KEYS.contains(key)) {
                throw new org.fedlodrop.simulator.run.UserInputException("--jobs " + key + ": expected one of "
                        + String.join(", ", TrainJobs.JOB_KEYS));
            }
        }
        java.util.Optional<String> gpu = org.fedlodrop.models.net.CudaCompatibility.problem();
        if (gpu.isPresent()) {
            throw new org.fedlodrop.simulator.run.UserInputException(gpu.get());
        }
        org.fedlodrop.models.net.OperationThreads.pinToOne();
        PrintWriter out = spec.commandLine().getOut();
        double mmul = mmulGflops(512, 20);
        out.printf("fedlodrop bench train: one device, AdamW, γ = 0.3 (exact masks), float32, ND4J %s, one thread per "
                + "operation; \"%d devices together\": a round's cohort trained in lock step (training.cohort), against "
                + "PyTorch training devices one after the other%n%n", Nd4j.getBackend().getClass().getSimpleName(), COHORT);
        PyTorchTrainBench torchSide = null;
        if (againstPyTorch) {
            Optional<String> python = PyTorchTrainBench.findPython();
            if (python.isEmpty()) {
                out.println("PyTorch: no python3 with torch found (FEDLODROP_PYTHON, /usr/bin/python3, python3; Debian:"
                        + " apt-get install python3-torch); fedlodrop's column alone follows.");
                out.println();
            } else {
                try {
                    torchSide = PyTorchTrainBench.start(python.get());
                } catch (java.io.IOException e) {
                    out.println("PyTorch: " + e.getMessage() + "; fedlodrop's column alone follows.");
                }
            }
        }
        List<Job> jobs = new ArrayList<>();
        for (String key : TrainJobs.JOB_KEYS) {
            if (only.isEmpty() || only.contains(key)) {
                jobs.add(TrainJobs.job(key));
            }
        }
        List<Row> rows = new ArrayList<>();
        // PyTorch's rate of each job: the mean of one measured just before fedlodrop's rows of the job and one
        // just after, so that a machine whose speed drifts (a shared VM) slows or speeds both sides alike.
        Map<String, Double> torchRates = new LinkedHashMap<>();
        Optional<TorchColumn> torch = Optional.empty();
        try {
            PyTorchTrainBench.Answer productBefore = torchSide == null ? null : torchSide.matrixProduct();
            for (Job job : jobs) {
                double before = torchSide == null ? Double.NaN : torchSide.samplesPerSecond(job.key());
                // Both engines where the java one can train the model, so that the table shows what auto chose against.
                List<TrainingEngine> engines = TrainingEngine.javaTrains(job.model())
                        ? List.of(TrainingEngine.JAVA, TrainingEngine.ND4J) : List.of(TrainingEngine.ND4J);
                for (TrainingEngine engine : engines) {
                    rows.add(measure(job, engine, 1));
                }
                if (engines.contains(TrainingEngine.JAVA)) {
                    rows.add(measure(job, TrainingEngine.JAVA, COHORT));
                }
                if (torchSide != null) {
                    torchRates.put(job.key(), (before + torchSide.samplesPerSecond(job.key())) / 2);
                }
            }
            if (torchSide != null) {
                torch = Optional.of(new TorchColumn(torchRates, productBefore.mmulGflops(),
                        torchSide.matrixProduct().mmulGflops(), productBefore.version()));
            }
        } catch (java.io.IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            out.println("PyTorch: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("failed")
                    + "; fedlodrop's column alone follows.");
        } finally {
            if (torchSide != null) {
                try {
                    torchSide.close();
                } catch (java.io.IOException e) {
                    // the rates are in; a script that will not stop is killed by close()
                }
            }
        }
        // The machine's matrix-product rate: the faster of ND4J's and PyTorch's 512³ products.
        double machineRate = Math.max(mmul, torch.map(TorchColumn::mmulGflops).orElse(0.0));
        if (torch.isPresent()) {
            out.println("| workload | shape | rank | batch | engine | device-samples/s | PyTorch device-samples/s | ratio |"
                    + " GFLOP/s | share of mmul rate |");
            out.println("|---|---|---:|---:|---|---:|---:|---:|---:|---:|");
        } else {
            out.println("| workload | shape | rank | batch | engine | device-samples/s | GFLOP/s | share of mmul rate |");
            out.println("|---|---|---:|---:|---|---:|---:|---:|");
        }
        for (Row row : rows) {
            Job job = row.job();
            String rates = String.format("%.0f", row.samplesPerSecond());
            if (torch.isPresent()) {
                double reference = torch.get().rates().getOrDefault(job.key(), Double.NaN);
                rates += String.format(" | %.0f | %.2f", reference, row.samplesPerSecond() / reference);
            }
            String engine = EnumLabels.label(row.engine())
                    + (row.cohort() > 1 ? ", " + row.cohort() + " devices together"
                    : TrainingEngine.AUTO.resolve(job.model()) == row.engine() ? " (auto)" : "");
            out.printf("| %s | %s | %d | %d | %s | %s | %.2f | %.1f %% |%n", job.name(), job.shape(), job.rank(), job.batch(),
                    engine, rates, row.gflops(), 100 * row.gflops() / machineRate);
        }
        if (!skipSimulate) {
            simulateRows(out);
        }
        out.printf("%nND4J float32 matrix multiply, 512 x 512 x 512, one thread: %.1f GFLOP/s%n", mmul);
        out.printf("share of mmul rate: of %.1f GFLOP/s, the faster 512³ product measured here%n", machineRate);
        torch.ifPresent(t -> out.printf("PyTorch %s float32 matrix multiply, 512 x 512 x 512, one thread: %.1f GFLOP/s"
                + " (mean of %.1f before the jobs and %.1f after them); each job's PyTorch rate is the mean of one"
                + " measured just before fedlodrop's rows of that job and one just after%n",
                t.version(), t.mmulGflops(), t.mmulBefore(), t.mmulAfter()));
        out.printf("OpenBLAS:%s%n", org.fedlodrop.simulator.run.ScenarioRun.coreType());
        out.printf("machine: %s %s, %d processors, Java %s%n", System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        return FedLoDrop.EXIT_OK;
    }

    /**
     * Device-samples/s of {@code job} on {@code engine}: one device's epoch after another, or a cohort of
     * devices (the job's data and masks each, their own random streams) trained together.
     */
    private static Row measure(Job job, TrainingEngine engine, int cohort) {
        LocalTrainer.Settings settings = new LocalTrainer.Settings(1, job.batch(), 1e-2, LocalTrainer.Optimizer.ADAMW, 0)
                .withEngine(engine);
        Runnable epoch = () -> {
            List<LocalTrainer.Job> jobs = new ArrayList<>();
            for (int d = 0; d < cohort; d++) {
                jobs.add(new LocalTrainer.Job(job.adapter(), job.masks(), job.data(), settings, new SplittableRandom(2 + d)));
            }
            LocalTrainer.trainTogether(job.model(), jobs);
        };
        // Warm-up: the JIT compiles the java engine's loops (its rates still climbed after a second or two
        // on the reference machine), ND4J loads its kernels.
        long warmUp = System.nanoTime();
        do {
            epoch.run();
        } while (System.nanoTime() - warmUp < 2_000_000_000L);
        double samplesPerSecond = bestRate(epoch, cohort * (double) job.data().size());
        return new Row(job, engine, cohort, samplesPerSecond, samplesPerSecond * job.flopsPerSample() / 1e9);
    }

    /** End-to-end runs of the reference learning scenarios (issue 18's targets are on these). */
    private static void simulateRows(PrintWriter out) {
        out.println();
        Optional<java.nio.file.Path> home = EndToEndBench.home();
        if (home.isEmpty()) {
            out.println("simulate: the scenarios folder is not known (run through the ./fedlodrop launcher); skipped.");
            return;
        }
        out.println("| simulate (end to end, fresh JVM, default threads) | wall s | peak resident MB |");
        out.println("|---|---:|---:|");
        out.flush();
        for (EndToEndBench.Case run : EndToEndBench.CASES) {
            try {
                EndToEndBench.Result result = EndToEndBench.measure(home.get(), run);
                if (result.exitCode() != 0) {
                    out.printf("| %s | failed (exit %d) | |%n", run.label(), result.exitCode());
                } else {
                    out.printf("| %s | %.1f | %s |%n", run.label(), result.wallS(),
                            result.peakResidentBytes() < 0 ? "n/a" : String.format("%,d", result.peakResidentBytes() / 1_000_000));
                }
            } catch (java.io.IOException e) {
                out.printf("| %s | not run: %s | |%n", run.label(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.flush();
        }
    }

    /** The 512³ product's rate after warm-up, by {@link #bestRate} (20 products alone took 60 ms and varied 3-fold). */
    private static double mmulGflops(int n, int warmUps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        for (int i = 0; i < warmUps; i++) {
            a.mmul(b);
        }
        return bestRate(() -> a.mmul(b), 2.0 * n * n * n / 1e9);
    }

    /**
     * Units per second of {@code work}, which does {@code unitsPerRun} per run: the best of three windows of at
     * least a second each. On a shared VM other load only ever slows a window down, so the fastest is the
     * closest to the machine's own rate (the PyTorch script measures the same way).
     */
    private static double bestRate(Runnable work, double unitsPerRun) {
        double best = 0;
        for (int window = 0; window < 3; window++) {
            int runs = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_000_000_000L) {
                work.run();
                runs++;
            }
            best = Math.max(best, runs * unitsPerRun / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }
}
