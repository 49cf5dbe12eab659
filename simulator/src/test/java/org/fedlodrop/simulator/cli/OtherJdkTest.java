package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.simulator.RunDirectories;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run gives the same bytes on a second JDK of another feature release, where the machine has one
 * ({@code FEDLODROP_OTHER_JAVA}, or a JDK under /usr/lib/jvm such as Temurin's): JDK 19 changed
 * {@code Double.toString}, and run files must not depend on it (README, Determinism).
 */
class OtherJdkTest {
    @TempDir
    Path temp;

    @Test
    @Timeout(600)
    void runsWriteTheSameFilesOnAnotherJdk() throws Exception {
        Optional<Path> other = otherJava();
        assumeTrue(other.isPresent(), "no JDK of another feature release (FEDLODROP_OTHER_JAVA or /usr/lib/jvm)");
        String[][] runs = {
                {TestScenarios.file("synthetic.yaml").toString(), "--set", "rounds=3"},
                {TestScenarios.quickstart().toString(), "--set", "rounds=4", "--set", "csi.model=noisy",
                        "--set", "planner.solver=psca", "--set", "mobility.model=random-waypoint"}};
        for (int i = 0; i < runs.length; i++) {
            Path here = temp.resolve("here" + i);
            Path there = temp.resolve("there" + i);
            List<String> arguments = new ArrayList<>(List.of("run"));
            arguments.addAll(List.of(runs[i]));
            arguments.addAll(List.of("--quiet", "--out"));

            List<String> hereArguments = new ArrayList<>(arguments);
            hereArguments.add(here.toString());
            CliRunner local = CliRunner.execute(hereArguments.toArray(String[]::new));
            assertThat(local.exitCode()).as(local.err()).isZero();

            List<String> command = new ArrayList<>(List.of(other.get().toString(), "-cp",
                    System.getProperty("java.class.path"), FedLoDrop.class.getName()));
            command.addAll(arguments);
            command.add(there.toString());
            Path log = temp.resolve("there" + i + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("the run on " + other.get() + " ended").isTrue();
            assertThat(process.exitValue()).as(Files.readString(log)).isZero();

            RunDirectories.assertSameFiles(there, here);
            assertThat(Files.readString(there.resolve(RunFiles.MANIFEST))).contains("\"java_version\" : \"" + feature(other.get()));
        }
    }

    /** FEDLODROP_OTHER_JAVA, or the newest JDK under /usr/lib/jvm of a feature release other than this one's. */
    private static Optional<Path> otherJava() throws IOException {
        String given = System.getenv("FEDLODROP_OTHER_JAVA");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        int here = Runtime.version().feature();
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && !Files.isSymbolicLink(home))
                    .filter(home -> release(home).map(feature -> feature != here).orElse(false))
                    .max(Comparator.comparing(home -> release(home).orElse(0)))
                    .map(home -> home.resolve("bin/java"));
        }
    }

    private static Optional<Integer> release(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String version = line.substring("JAVA_VERSION=\"".length());
                    return Optional.of(Integer.parseInt(version.split("[.\"+-]")[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String feature(Path java) {
        return release(java.getParent().getParent()).map(String::valueOf).orElse("");
    }
}
