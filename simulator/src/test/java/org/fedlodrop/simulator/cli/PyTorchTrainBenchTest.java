package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The PyTorch side of `bench train --against-pytorch`: the script ships in the jar and its output is read back. */
class PyTorchTrainBenchTest {

    @Test
    void readsEveryJobsRateAndTheProductRateAndSkipsOtherLines() throws Exception {
        String output = """
                /usr/lib/python3/dist-packages/torch/__init__.py: UserWarning: something
                {"job": "synthetic", "samples_per_s": 40262.5}
                {"job": "minilm", "samples_per_s": 39.25}
                {"mmul_gflops": 136.7, "torch": "1.13.0a0"}
                """;
        PyTorchTrainBench.Result result = PyTorchTrainBench.parse(output);
        assertThat(result.samplesPerSecond()).containsEntry("synthetic", 40262.5).containsEntry("minilm", 39.25).hasSize(2);
        assertThat(result.mmulGflops()).isEqualTo(136.7);
        assertThat(result.version()).isEqualTo("1.13.0a0");
    }

    /** Every job of the Java bench has its PyTorch twin under the same key, at the same sizes. */
    @Test
    void theScriptImplementsEveryJobOfTheBench() throws Exception {
        String script;
        try (InputStream in = PyTorchTrainBench.class.getResourceAsStream("train_bench_torch.py")) {
            assertThat(in).as("train_bench_torch.py in the jar").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(script).contains("(\"synthetic\", [32, 64, 64], 20, 10)", "(\"mlp512\", [512] * 4, 256, 64)",
                "(\"text\", 89, 16, 32, 2, 4, 64, 4, 20, 10, False, 1)",
                "(\"transformer512\", 1000, 64, 512, 2, 8, 2048, 8, 32, 16, False, 1)",
                "(\"minilm\", 30522, 64, 384, 6, 12, 1536, 8, 32, 16, True, 1000)", "GAMMA = 0.3", "torch.set_num_threads(1)");
    }
}
