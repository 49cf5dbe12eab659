package org.fedlodrop.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The jobs of {@code bench train} in plain PyTorch, run by a {@code python3} that has torch
 * (train_bench_torch.py, shipped in the jar): what a user would pick instead, measured in the same
 * run on the same machine. Written in Python because that is the comparison's point; only the
 * standard library and torch are needed. The script stays up for the whole bench and measures a job
 * when asked, so that {@code bench train} can measure PyTorch just before and just after its own rows
 * of the same job: on a shared VM, rates measured minutes apart had drifted by a third.
 */
public final class PyTorchTrainBench implements AutoCloseable {
    private static final String SCRIPT = "train_bench_torch.py";
    /** The slowest job (MiniLM) measures in well under a minute; a script silent this long has hung. */
    private static final long ANSWER_SECONDS = 600;
    private static final String CLOSED = "\u0000closed";

    /** One answer of the script: a job's device-samples per second, or the 512³ product rate and torch's version. */
    public record Answer(String job, double samplesPerSecond, double mmulGflops, String version) {
    }

    private final Process process;
    private final Path script;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder transcript = new StringBuilder();

    private PyTorchTrainBench(Process process, Path script) {
        this.process = process;
        this.script = script;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process went away: the sentinel below says so
            }
            lines.add(CLOSED);
        }, "fedlodrop-pytorch-bench");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The first python3 that imports torch: {@code FEDLODROP_PYTHON} if set, else Debian's
     * /usr/bin/python3 (a python3 on PATH may be a pyenv shim without torch), else python3 on PATH.
     */
    public static Optional<String> findPython() {
        return PythonWithModule.find("import torch");
    }

    /** Starts the script under {@code python}; it then waits for commands. */
    public static PyTorchTrainBench start(String python) throws IOException {
        Path script = Files.createTempFile("fedlodrop-train-bench", ".py");
        try (InputStream in = PyTorchTrainBench.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is missing from the jar");
            }
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(python, "-u", script.toString()).redirectErrorStream(true).start();
        return new PyTorchTrainBench(process, script);
    }

    /** Device-samples per second of the job with this key (as in {@code bench train}), measured now. */
    public double samplesPerSecond(String job) throws IOException, InterruptedException {
        Answer answer = ask("job " + job);
        if (!job.equals(answer.job())) {
            throw new IOException("the PyTorch benchmark answered for " + answer.job() + ", not " + job + ":\n" + transcript);
        }
        return answer.samplesPerSecond();
    }

    /** PyTorch's 512³ float32 product rate, measured now, with torch's version. */
    public Answer matrixProduct() throws IOException, InterruptedException {
        return ask("mmul");
    }

    private Answer ask(String command) throws IOException, InterruptedException {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException closed) {
            // The script already ended (its pipe is closed): what it printed before says why, read below.
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(CLOSED)) {
                throw new IOException("the PyTorch benchmark " + (line == null ? "did not answer \"" + command
                        + "\" within " + ANSWER_SECONDS + " s" : "stopped") + ":\n" + transcript);
            }
            transcript.append(line).append('\n');
            Optional<Answer> answer = parse(line);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
    }

    /**
     * An answer from one line of the script's output, if it is one: {"job", "samples_per_s"} or
     * {"mmul_gflops", "torch"}; anything else (a warning torch prints) is not. An {"error"} line fails.
     */
    public static Optional<Answer> parse(String line) throws IOException {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        JsonNode node = new ObjectMapper().readTree(line);
        if (node.has("error")) {
            throw new IOException("the PyTorch benchmark: " + node.get("error").asText());
        }
        if (node.has("job")) {
            return Optional.of(new Answer(node.get("job").asText(), node.get("samples_per_s").asDouble(), Double.NaN, null));
        }
        if (node.has("mmul_gflops")) {
            return Optional.of(new Answer(null, Double.NaN, node.get("mmul_gflops").asDouble(), node.path("torch").asText("?")));
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        try {
            commands.close(); // end of input: the script returns
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            process.destroyForcibly();
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
