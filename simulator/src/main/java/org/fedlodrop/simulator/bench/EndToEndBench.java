package org.fedlodrop.simulator.bench;

import org.fedlodrop.simulator.run.ScratchDirectory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code simulate} rows of {@code bench train}: whole runs of the reference learning scenarios,
 * each in a fresh JVM started as the launcher started this one (same JVM options, same jar), so that
 * its wall time includes start-up and model building as a user's run does, and its peak resident
 * size is its own (read from the child's {@code /proc/PID/status} while it runs).
 */
public final class EndToEndBench {
    /** A scenario to time, with the overrides it runs under. */
    public record Case(String label, String scenario, List<String> overrides) {
    }

    /** Wall seconds and peak resident bytes (−1 where /proc is not there to read). */
    public record Result(double wallS, long peakResidentBytes, int exitCode) {
    }

    public static final List<Case> CASES = List.of(
            new Case("scenarios/synthetic.yaml, psca", "scenarios/synthetic.yaml", List.of("planner.solver=psca")),
            new Case("scenarios/text.yaml", "scenarios/text.yaml", List.of()));

    private EndToEndBench() {
    }

    /** The installation's scenarios folder, as the launcher names it; empty when run outside it. */
    public static Optional<Path> home() {
        String home = System.getProperty("fedlodrop.home");
        return home == null ? Optional.empty() : Optional.of(Path.of(home)).filter(h -> Files.isDirectory(h.resolve("scenarios")));
    }

    public static Result measure(Path home, Case run) throws IOException, InterruptedException {
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-bench-simulate")) {
            List<String> command = runCommand(home, run, scratch.path().resolve("run"));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(scratch.path().resolve("output.txt").toFile()).start();
            long peak = -1;
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, peakResident(process.pid()));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            return new Result(wall, peak, process.exitValue());
        }
    }

    /**
     * {@code fedlodrop run} of the case into {@code out} in a fresh JVM started as this one was: the launcher's
     * options (heap, BLAS, the class-data archive it maps) but not the one that has this JVM write that archive
     * at exit, which a child must not write too.
     */
    public static List<String> runCommand(Path home, Case run, Path out) throws IOException {
        return runCommand(home, run, out, List.of());
    }

    /** As {@link #runCommand(Path, Case, Path)}, with JVM options added after the launcher's (a smaller heap, say). */
    public static List<String> runCommand(Path home, Case run, Path out, List<String> jvmOptions) throws IOException {
        Path jar;
        try {
            jar = Path.of(EndToEndBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the fedlodrop jar: " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-XX:ArchiveClassesAtExit")).forEach(command::add);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "run", home.resolve(run.scenario()).toString(), "--out",
                out.toString(), "--quiet"));
        run.overrides().forEach(o -> command.addAll(List.of("--set", o)));
        return command;
    }

    /** VmRSS, the process's resident size now, from /proc; −1 when it cannot be read. */
    public static long resident(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** VmHWM, the process's high-water resident size, from /proc; −1 when it cannot be read. */
    private static long peakResident(long pid) {
        return statusField(pid, "VmHWM:");
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process has just ended, or this is not Linux.
        }
        return -1;
    }
}
