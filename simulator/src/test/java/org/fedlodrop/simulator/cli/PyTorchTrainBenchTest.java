package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        assertThat(script).contains("\"synthetic\": ([32, 64, 64], 20, 10)", "\"mlp128\": ([128] * 4, 256, 32)",
                "\"mlp512\": ([512] * 4, 256, 64)", "\"text\": (89, 16, 32, 2, 4, 64, 4, 20, 10, False, 1)",
                "\"transformer512\": (1000, 64, 512, 2, 8, 2048, 8, 32, 16, False, 1)",
                "\"minilm\": (30522, 64, 384, 6, 12, 1536, 8, 32, 16, True, 1000)",
                "\"minilm128\": (30522, 128, 384, 6, 12, 1536, 8, 32, 8, True, 1000)", "GAMMA = 0.3",
                "torch.set_num_threads(1)");
        // and the script knows every key the bench can be asked for
        for (String key : TrainBench.JOB_KEYS) {
            assertThat(script).contains("\"" + key + "\": (");
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
