package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.train.LocalTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Local-training throughput (device-samples/s) and achieved GFLOP/s of one device's",
                "training, beside ND4J's measured matrix-multiply rate on this machine: for the synthetic",
                "workload of scenarios/synthetic.yaml and for a 512-wide MLP where arithmetic dominates."})
final class TrainBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private record Setup(String name, int[] widths, int rank, int samples, int batch) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        double mmul = mmulGflops(512, 20);
        out.printf("fedlodrop bench train: one device, AdamW, γ = 0.3 (exact masks), float32, ND4J %s%n%n",
                Nd4j.getBackend().getClass().getSimpleName());
        out.println("| workload | widths | rank | batch | device-samples/s | GFLOP/s | share of mmul rate |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Setup setup : List.of(new Setup("synthetic (scenarios/synthetic.yaml)", new int[] {32, 64, 64}, 8, 20, 10),
                new Setup("512-wide MLP", new int[] {512, 512, 512, 512}, 8, 256, 64))) {
            SplittableRandom random = new SplittableRandom(1);
            TeacherStudent workload = new TeacherStudent(setup.widths(), 4, 4, 3.0, 0.2);
            TeacherStudent.Task task = workload.build(setup.rank(), 16, false, DataType.FLOAT, random);
            Dataset data = workload.sample(task, setup.samples(), DataType.FLOAT, random);
            List<LoraMask> masks = new java.util.ArrayList<>();
            for (LoraLayer layer : task.student().layers()) {
                masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.3, random));
            }
            LocalTrainer.Settings settings = new LocalTrainer.Settings(1, setup.batch(), 1e-2, LocalTrainer.Optimizer.ADAMW, 0);
            LocalTrainer.train(task.student(), task.initial(), masks, data, settings, random); // warm-up
            int epochs = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 2_000_000_000L) {
                LocalTrainer.train(task.student(), task.initial(), masks, data, settings, random);
                epochs++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double samplesPerSecond = epochs * (double) setup.samples() / seconds;
            double gflops = samplesPerSecond * flopsPerSample(setup.widths(), setup.rank(), 4) / 1e9;
            out.printf("| %s | %s | %d | %d | %.0f | %.2f | %.1f %% |%n", setup.name(),
                    java.util.Arrays.toString(setup.widths()), setup.rank(), setup.batch(), samplesPerSecond, gflops,
                    100 * gflops / mmul);
        }
        out.printf("%nND4J float32 matrix multiply, 512 x 512 x 512: %.1f GFLOP/s%n", mmul);
        out.printf("machine: %s %s, %d processors, Java %s%n", System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        return FedLoDrop.EXIT_OK;
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

    private static double mmulGflops(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        a.mmul(b);
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            a.mmul(b);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return 2.0 * n * n * n * repeats / seconds / 1e9;
    }
}
