package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.bert.PretrainedBert;
import org.fedlodrop.models.net.BertClassifier;
import org.fedlodrop.models.net.TransformerClassifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.TrainingEngine;
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

    @Option(names = "--against-pytorch", description = {"Also run every job in PyTorch (a python3 with torch:"
            + " FEDLODROP_PYTHON, /usr/bin/python3 or python3 on PATH; Debian: apt-get install python3-torch)",
            "and print both rates and their ratio, and both matrix-product rates. Each job's PyTorch rate is the",
            "mean of one measured just before fedlodrop's rows of the job and one just after."})
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

    /** The jobs' keys, in table order. */
    static final List<String> JOB_KEYS = List.of("synthetic", "mlp128", "mlp512", "text", "transformer512", "minilm",
            "minilm128");

    /** One device's training job: what to train, and the FLOPs of one sample's forward and backward. */
    private record Job(String key, String name, String shape, int rank, int batch, Classifier model, Adapter adapter,
                       List<LoraMask> masks, Dataset data, double flopsPerSample) {
    }

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
            if (!JOB_KEYS.contains(key)) {
                throw new org.fedlodrop.simulator.run.UserInputException("--jobs " + key + ": expected one of "
                        + String.join(", ", JOB_KEYS));
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
        for (String key : JOB_KEYS) {
            if (only.isEmpty() || only.contains(key)) {
                jobs.add(job(key));
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

    private static Job mlp(String key, String name, int[] widths, int rank, int samples, int batch) {
        SplittableRandom random = new SplittableRandom(1);
        TeacherStudent workload = new TeacherStudent(widths, 4, 4, 3.0, 0.2);
        TeacherStudent.Task task = workload.build(rank, 16, false, DataType.FLOAT, random);
        Dataset data = workload.sample(task, samples, DataType.FLOAT, random);
        return new Job(key, name, "mlp " + java.util.Arrays.toString(widths), rank, batch, task.student(), task.initial(),
                masks(task.student(), random), data, flopsPerSample(widths, rank, 4));
    }

    private static Job transformer(String key, String name, TransformerClassifier.Shape shape, int rank, int samples,
                                   int batch) {
        SplittableRandom random = new SplittableRandom(1);
        TransformerClassifier model = new TransformerClassifier(shape,
                TransformerClassifier.Weights.random(shape, DataType.FLOAT, random),
                EnumSet.of(TransformerClassifier.Projection.QUERY, TransformerClassifier.Projection.VALUE),
                LoraLayer.scale(16, rank, false), DataType.FLOAT);
        double[][] ids = new double[samples][shape.maxLength()];
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            int length = shape.maxLength() / 2 + random.nextInt(shape.maxLength() / 2 + 1);
            for (int j = 0; j < length; j++) {
                ids[i][j] = 1 + random.nextInt(shape.vocabulary() - 1);
            }
            labels[i] = random.nextInt(shape.classes());
        }
        Dataset data = new Dataset(Nd4j.create(ids).castTo(DataType.FLOAT), labels);
        String description = String.format("transformer d=%d, %d blocks, %d heads, ff %d, %d tokens", shape.width(),
                shape.blocks(), shape.heads(), shape.feedForward(), shape.maxLength());
        return new Job(key, name, description, rank, batch, model, model.initialAdapter(rank, random), masks(model, random), data,
                transformerFlopsPerSample(shape));
    }

    /**
     * The built-in all-MiniLM-L6-v2 (its first {@code blocks} blocks) with LoRA on query and value,
     * on random token ids of its vocabulary filling half to all of {@code maxLength}.
     */
    private static Job miniLm(String key, String name, int blocks, int maxLength, int rank, int samples, int batch) {
        PretrainedBert.Base base;
        try {
            base = PretrainedBert.MINILM_L6.load(DataType.FLOAT);
        } catch (java.io.IOException | org.fedlodrop.models.bert.OnnxFormatException e) {
            throw new IllegalStateException("the built-in model cannot be read: " + e.getMessage(), e);
        }
        TransformerClassifier.Shape shape = base.shape(blocks, maxLength, 2);
        BertClassifier model = new BertClassifier(shape, base.weights().firstBlocks(blocks),
                EnumSet.of(TransformerClassifier.Projection.QUERY, TransformerClassifier.Projection.VALUE),
                BertClassifier.Pooling.MEAN, LoraLayer.scale(16, rank, false), DataType.FLOAT);
        SplittableRandom random = new SplittableRandom(1);
        double[][] ids = new double[samples][maxLength];
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            int length = maxLength / 2 + random.nextInt(maxLength / 2 + 1);
            for (int j = 0; j < length; j++) {
                ids[i][j] = 1000 + random.nextInt(shape.vocabulary() - 1000);
            }
            labels[i] = random.nextInt(2);
        }
        Dataset data = new Dataset(Nd4j.create(ids).castTo(DataType.FLOAT), labels);
        String description = String.format("bert d=%d, %d blocks, %d heads, ff %d, %d tokens", shape.width(),
                shape.blocks(), shape.heads(), shape.feedForward(), shape.maxLength());
        return new Job(key, name, description, rank, batch, model, model.initialAdapter(rank, random), masks(model, random), data,
                transformerFlopsPerSample(new TransformerClassifier.Shape(shape.vocabulary(), shape.maxLength(),
                        shape.width(), shape.blocks(), shape.heads(), shape.feedForward(), shape.classes())));
    }

    /**
     * The sizes of a job, which train_bench_torch.py must build the same under the same key
     * ({@code PyTorchTrainBenchTest} reads its tables against these): an MLP's widths, or an encoder's
     * vocabulary, tokens, width, blocks, heads and feed-forward width (pretrained: the built-in MiniLM's first
     * blocks); LoRA's rank, the samples and the batch.
     */
    record JobSize(List<Integer> widths, int vocabulary, int tokens, int width, int blocks, int heads, int feedForward,
                   int rank, int samples, int batch, boolean pretrained) {
        static JobSize mlp(List<Integer> widths, int samples, int batch) {
            return new JobSize(widths, 0, 0, 0, 0, 0, 0, 8, samples, batch, false);
        }

        static JobSize encoder(int vocabulary, int tokens, int width, int blocks, int heads, int feedForward, int rank,
                               int samples, int batch, boolean pretrained) {
            return new JobSize(List.of(), vocabulary, tokens, width, blocks, heads, feedForward, rank, samples, batch,
                    pretrained);
        }
    }

    static JobSize size(String key) {
        return switch (key) {
            case "synthetic" -> JobSize.mlp(List.of(32, 64, 64), 20, 10);
            case "mlp128" -> JobSize.mlp(List.of(128, 128, 128, 128), 256, 32);
            case "mlp512" -> JobSize.mlp(List.of(512, 512, 512, 512), 256, 64);
            case "text" -> JobSize.encoder(89, 16, 32, 2, 4, 64, 4, 20, 10, false);
            case "transformer512" -> JobSize.encoder(1000, 64, 512, 2, 8, 2048, 8, 32, 16, false);
            case "minilm" -> JobSize.encoder(30522, 64, 384, 6, 12, 1536, 8, 32, 16, true);
            case "minilm128" -> JobSize.encoder(30522, 128, 384, 6, 12, 1536, 8, 32, 8, true);
            default -> throw new IllegalArgumentException("no job " + key);
        };
    }

    /** The job of a key (JOB_KEYS), of its {@link #size}. */
    private static Job job(String key) {
        JobSize z = size(key);
        String name = switch (key) {
            case "synthetic" -> "synthetic (scenarios/synthetic.yaml)";
            case "mlp128" -> "128-wide MLP";
            case "mlp512" -> "512-wide MLP";
            case "text" -> "text (scenarios/text.yaml)";
            case "transformer512" -> "512-wide transformer";
            case "minilm" -> "MiniLM-L6 (all 6 blocks, 64 tokens)";
            case "minilm128" -> "MiniLM-L6 (scenarios/spam.yaml: all 6 blocks, 128 tokens)";
            default -> throw new IllegalArgumentException("no job " + key);
        };
        if (!z.widths().isEmpty()) {
            return mlp(key, name, z.widths().stream().mapToInt(Integer::intValue).toArray(), z.rank(), z.samples(), z.batch());
        }
        if (z.pretrained()) {
            return miniLm(key, name, z.blocks(), z.tokens(), z.rank(), z.samples(), z.batch());
        }
        return transformer(key, name, new TransformerClassifier.Shape(z.vocabulary(), z.tokens(), z.width(), z.blocks(),
                z.heads(), z.feedForward(), 2), z.rank(), z.samples(), z.batch());
    }

    private static List<LoraMask> masks(Classifier model, SplittableRandom random) {
        List<LoraMask> masks = new java.util.ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.3, random));
        }
        return masks;
    }

    /**
     * Training FLOPs of one padded sequence: per block the projections (4 d² + 2 d·ff multiply–adds per
     * token) forward and again for the input gradients (frozen weights get none), and attention
     * (2 T² d) once forward and twice backward (dP, dV, dQ, dK); LoRA and head terms are neglected.
     */
    static double transformerFlopsPerSample(TransformerClassifier.Shape s) {
        double projections = (double) s.maxLength() * (4.0 * s.width() * s.width() + 2.0 * s.width() * s.feedForward());
        double attention = 2.0 * s.maxLength() * s.maxLength() * s.width();
        return s.blocks() * 2.0 * (2 * projections + 3 * attention);
    }

    /**
     * Training FLOPs of one sample: per layer the frozen forward and input-gradient products
     * (2 × 2 n1 n2) and the LoRA forward and backward (about 6 r (n1 + n2)); the head's forward,
     * input and weight gradients (6 c h).
     */
    static double flopsPerSample(int[] widths, int rank, int classes) {
        double flops = 0;
        for (int u = 0; u + 1 < widths.length; u++) {
            flops += 4.0 * widths[u] * widths[u + 1] + 6.0 * rank * (widths[u] + widths[u + 1]);
        }
        return flops + 6.0 * classes * widths[widths.length - 1];
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
