package org.fedlodrop.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The jobs of {@code bench train} in plain PyTorch, run by a {@code python3} that has torch
 * (train_bench_torch.py, shipped in the jar): what a user would pick instead, measured in the same
 * run on the same machine. Written in Python because that is the comparison's point; only the
 * standard library and torch are needed.
 */
final class PyTorchTrainBench {
    private static final String SCRIPT = "train_bench_torch.py";

    /** Device-samples per second by job key, PyTorch's 512³ product rate, and its version. */
    record Result(Map<String, Double> samplesPerSecond, double mmulGflops, String version) {
    }

    private PyTorchTrainBench() {
    }

    /**
     * The first python3 that imports torch: {@code FEDLODROP_PYTHON} if set, else Debian's
     * /usr/bin/python3 (a python3 on PATH may be a pyenv shim without torch), else python3 on PATH.
     */
    static Optional<String> findPython() {
        List<String> candidates = new ArrayList<>();
        String chosen = System.getenv("FEDLODROP_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String python : candidates) {
            try {
                Process process = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return Optional.of(python);
                }
                process.destroyForcibly();
            } catch (IOException e) {
                // not there: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Runs every job in PyTorch (about 20 s); throws with PyTorch's own output if it fails. */
    static Result run(String python) throws IOException, InterruptedException {
        Path script = Files.createTempFile("fedlodrop-train-bench", ".py");
        try {
            try (InputStream in = PyTorchTrainBench.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the jar");
                }
                Files.write(script, in.readAllBytes());
            }
            Process process = new ProcessBuilder(python, "-u", script.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("the PyTorch benchmark failed:\n" + output);
            }
            return parse(output);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The script's JSON lines: {"job", "samples_per_s"} per job, then {"mmul_gflops", "torch"}. */
    static Result parse(String output) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Double> rates = new LinkedHashMap<>();
        double mmul = Double.NaN;
        String version = "?";
        for (String line : output.split("\\R")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode node = mapper.readTree(line);
            if (node.has("job")) {
                rates.put(node.get("job").asText(), node.get("samples_per_s").asDouble());
            } else if (node.has("mmul_gflops")) {
                mmul = node.get("mmul_gflops").asDouble();
                version = node.path("torch").asText("?");
            }
        }
        return new Result(rates, mmul, version);
    }
}
