package org.fedlodrop.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyTorch side of `bench train --against-pytorch`: the script ships in the jar and answers job by job. */
class PyTorchTrainBenchTest {
    @TempDir
    Path directory;

    /** A stand-in for python3 that speaks the script's protocol (and prints torch-like noise first). */
    private String fakePython(String body) throws IOException {
        Path python = directory.resolve("python3");
        Files.writeString(python, "#!/usr/bin/env bash\necho 'UserWarning: something'\n" + body);
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        return python.toString();
    }

    @Test
    void readsAnswersAndSkipsOtherLines() throws Exception {
        assertThat(PyTorchTrainBench.parse("/usr/lib/python3/dist-packages/torch/__init__.py: UserWarning")).isEmpty();
        PyTorchTrainBench.Answer job = PyTorchTrainBench.parse("{\"job\": \"minilm\", \"samples_per_s\": 39.25}").orElseThrow();
        assertThat(job.job()).isEqualTo("minilm");
        assertThat(job.samplesPerSecond()).isEqualTo(39.25);
        PyTorchTrainBench.Answer product = PyTorchTrainBench.parse("{\"mmul_gflops\": 136.7, \"torch\": \"1.13.0a0\"}").orElseThrow();
        assertThat(product.mmulGflops()).isEqualTo(136.7);
        assertThat(product.version()).isEqualTo("1.13.0a0");
        assertThatThrownBy(() -> PyTorchTrainBench.parse("{\"error\": \"unknown command: x\"}"))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown command: x");
    }

    @Test
    void asksForOneJobAtATimeAndStopsTheScriptOnClose() throws Exception {
        String python = fakePython("""
                n=0
                while read -r command name; do
                  n=$((n + 1))
                  case "$command" in
                    job) echo "loading $name"; echo "{\\"job\\": \\"$name\\", \\"samples_per_s\\": $n.5}";;
                    mmul) echo '{"mmul_gflops": 99.5, "torch": "fake"}';;
                  esac
                done
                """);
        PyTorchTrainBench session = PyTorchTrainBench.start(python);
        try (session) {
            assertThat(session.samplesPerSecond("synthetic")).isEqualTo(1.5);
            assertThat(session.matrixProduct().mmulGflops()).isEqualTo(99.5);
            assertThat(session.samplesPerSecond("minilm")).isEqualTo(3.5); // the answers come in order
        }
    }

    @Test
    void aScriptThatStopsFailsWithWhatItPrinted() throws Exception {
        String python = fakePython("echo 'Traceback: no module named torch.nn'; exit 1\n");
        try (PyTorchTrainBench session = PyTorchTrainBench.start(python)) {
            assertThatThrownBy(() -> session.samplesPerSecond("synthetic")).isInstanceOf(IOException.class)
                    .hasMessageContaining("stopped").hasMessageContaining("no module named torch.nn");
        }
    }

    /** Every job of the Java bench has its PyTorch twin under the same key, at the same sizes. */
    @Test
    void theScriptImplementsEveryJobOfTheBench() throws Exception {
        String script;
        try (InputStream in = PyTorchTrainBench.class.getResourceAsStream("train_bench_torch.py")) {
            assertThat(in).as("train_bench_torch.py in the jar").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(script).contains("GAMMA = 0.3", "torch.set_num_threads(1)");
        // The script's own tables, read as numbers, against the sizes the Java side builds for every key.
        java.util.regex.Matcher mlps = java.util.regex.Pattern.compile(
                "\"(\\w+)\": \\(\\[([0-9, ]+)\\](?: \\* (\\d+))?, (\\d+), (\\d+)\\)").matcher(script);
        java.util.regex.Matcher encoders = java.util.regex.Pattern.compile("\"(\\w+)\": \\((\\d+), (\\d+), (\\d+), (\\d+),"
                + " (\\d+), (\\d+), (\\d+), (\\d+), (\\d+), (True|False), (\\d+)\\)").matcher(script);
        java.util.Map<String, TrainJobs.JobSize> inScript = new java.util.HashMap<>();
        while (mlps.find()) {
            List<Integer> widths = new java.util.ArrayList<>();
            for (String w : mlps.group(2).split(", ")) {
                widths.add(Integer.parseInt(w.trim()));
            }
            int repeat = mlps.group(3) == null ? 1 : Integer.parseInt(mlps.group(3));
            List<Integer> all = new java.util.ArrayList<>();
            for (int i = 0; i < repeat; i++) {
                all.addAll(widths);
            }
            inScript.put(mlps.group(1), TrainJobs.JobSize.mlp(all, Integer.parseInt(mlps.group(4)),
                    Integer.parseInt(mlps.group(5))));
        }
        while (encoders.find()) {
            int[] n = new int[9];
            for (int i = 0; i < 9; i++) {
                n[i] = Integer.parseInt(encoders.group(2 + i));
            }
            boolean pretrained = Integer.parseInt(encoders.group(12)) == 1000;
            assertThat(encoders.group(11)).as("post-norm blocks are the pretrained BERT's")
                    .isEqualTo(pretrained ? "True" : "False");
            inScript.put(encoders.group(1), TrainJobs.JobSize.encoder(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8],
                    pretrained));
        }
        assertThat(inScript.keySet()).containsExactlyInAnyOrderElementsOf(TrainJobs.JOB_KEYS);
        for (String key : TrainJobs.JOB_KEYS) {
            assertThat(inScript.get(key)).as(key).isEqualTo(TrainJobs.size(key));
        }
    }

    /** Where a python3 with torch is installed (not on CI), the real script answers a job and the product. */
    @Test
    void theRealScriptAnswersWhereTorchIsInstalled() throws Exception {
        java.util.Optional<String> python = PyTorchTrainBench.findPython();
        Assumptions.assumeTrue(python.isPresent(), "no python3 with torch");
        try (PyTorchTrainBench session = PyTorchTrainBench.start(python.get())) {
            assertThat(session.samplesPerSecond("synthetic")).isPositive();
            assertThat(session.matrixProduct().mmulGflops()).isPositive();
        }
    }
}
