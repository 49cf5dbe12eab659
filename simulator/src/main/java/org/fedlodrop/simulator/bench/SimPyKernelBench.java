package org.fedlodrop.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The round pattern of {@code bench kernel} as a SimPy 2 model with empty handlers
 * (kernel_bench_simpy.py, shipped in the jar), run by a {@code python3} that has SimPy: what a user
 * might write instead of fedlodrop's kernel, measured in the same run on the same machine (issue 32).
 * Python because that is the comparison's point; Debian packages SimPy 2 as python3-simpy.
 */
public final class SimPyKernelBench {
    private static final String SCRIPT = "kernel_bench_simpy.py";
    /** 1,000 devices × 100 rounds takes about a second a repetition; a script silent this long has hung. */
    private static final long ANSWER_SECONDS = 900;

    /** What one invocation measured: the events it ordered, each repetition's seconds, the median and SimPy's version. */
    public record Measurement(long events, double[] seconds, double medianSeconds, String version) {
        public double eventsPerSecond() {
            return events / medianSeconds;
        }
    }

    private SimPyKernelBench() {
    }

    /** The first python3 that imports SimPy 2: {@code FEDLODROP_PYTHON} if set, else /usr/bin/python3, else python3 on PATH. */
    public static Optional<String> findPython() {
        return PythonWithModule.find("from SimPy.Simulation import Simulation");
    }

    /** Runs the model {@code repeat} times for these devices and rounds under {@code python}. */
    public static Measurement measure(String python, int devices, int rounds, int repeat)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("fedlodrop-kernel-bench", ".py");
        try {
            try (InputStream in = SimPyKernelBench.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the jar");
                }
                Files.write(script, in.readAllBytes());
            }
            Process process = new ProcessBuilder(python, script.toString(), String.valueOf(devices), String.valueOf(rounds),
                    String.valueOf(repeat)).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the SimPy model did not finish within " + ANSWER_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            return parse(text).orElseThrow(() -> new IOException("the SimPy model gave no result (exit "
                    + process.exitValue() + "):\n" + text));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The measurement in the script's output: its last JSON line; an {"error"} line fails. */
    public static Optional<Measurement> parse(String output) throws IOException {
        Measurement found = null;
        for (String line : output.lines().toList()) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode node = new ObjectMapper().readTree(line);
            if (node.has("error")) {
                throw new IOException("the SimPy model: " + node.get("error").asText());
            }
            double[] seconds = new double[node.path("seconds").size()];
            for (int i = 0; i < seconds.length; i++) {
                seconds[i] = node.get("seconds").get(i).asDouble();
            }
            found = new Measurement(node.get("events").asLong(), seconds, node.get("median_s").asDouble(),
                    node.path("simpy").asText("?"));
        }
        return Optional.ofNullable(found);
    }
}
