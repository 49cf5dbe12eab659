package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `study --cluster` and `worker --join` as a user runs them: two JVMs, one study, and their bad input. */
class ClusterCommandsTest {
    @TempDir
    Path temp;

    @Test
    @Timeout(180)
    void aWorkerInAnotherJvmRunsTheStudyOfACoordinatorThatRunsNothing() throws Exception {
        Path study = temp.resolve("study.yaml");
        Files.writeString(study, "name: two-jvms\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n"
                + "grid:\n  dropout.rate: [0.2, 0.5]\nzip:\n  rounds: [3]\nseeds: [1, 2]\n"
                + "metrics: [participation, total_energy_j]\n");
        Path local = temp.resolve("local");
        assertThat(CliRunner.execute("study", study.toString(), "--out", local.toString(), "-q").exitCode()).isZero();

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FedLoDrop.class.getName(),
                "worker", "--join", "127.0.0.1:" + port, "--host", "127.0.0.1", "--workers", "2", "--once")
                .redirectErrorStream(true).redirectOutput(temp.resolve("worker.log").toFile()).start();
        try {
            Path clustered = temp.resolve("cluster");
            CliRunner result = CliRunner.execute("study", study.toString(), "--out", clustered.toString(),
                    "--cluster", "127.0.0.1:" + port, "--workers", "0");
            assertThat(result.exitCode()).as(result.err() + Files.readString(temp.resolve("worker.log"))).isZero();
            assertThat(result.err()).contains("coordinating at 127.0.0.1:" + port, "run 4/4 done");
            assertThat(Files.readString(clustered.resolve(StudyRunner.RESULTS)))
                    .isEqualTo(Files.readString(local.resolve(StudyRunner.RESULTS)));
            assertThat(Files.readAllBytes(clustered.resolve("p001-seed2").resolve("devices.csv")))
                    .isEqualTo(Files.readAllBytes(local.resolve("p001-seed2").resolve("devices.csv")));
            // The study over, the worker given --once leaves by itself.
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(temp.resolve("worker.log"))).isTrue();
            assertThat(worker.exitValue()).isZero();
            assertThat(Files.readString(temp.resolve("worker.log"))).contains("with 2 slots: joining 127.0.0.1:" + port,
                    "the study ended");
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    @Timeout(180)
    void aRunWithItsDevicesShardedOverTwoJvmsWritesTheLocalRunsFiles() throws Exception {
        Path local = temp.resolve("local");
        // Twelve rounds: the placement line comes from polling the shards, which a run of two rounds can outpace.
        String[] scenario = {"--set", "devices.count=16", "--set", "rounds=12", "--set", "planner.solver=psca"};
        CliRunner alone = CliRunner.execute(concat(new String[] {"run", quickstart(), "-q", "--out", local.toString()}, scenario));
        assertThat(alone.exitCode()).as(alone.err()).isZero();

        int port = freePort();
        Process worker = workerJvm(port, temp.resolve("worker.log"));
        try {
            Path sharded = temp.resolve("sharded");
            CliRunner result = CliRunner.execute(concat(new String[] {"run", quickstart(), "--out", sharded.toString(),
                    "--cluster", "127.0.0.1:" + port, "--members", "2"}, scenario));
            assertThat(result.exitCode()).as(result.err() + Files.readString(temp.resolve("worker.log"))).isZero();
            assertThat(result.err()).contains("waiting for 2 members in all", "devices per member: {");
            for (String file : new String[] {"events.jsonl", "rounds.csv", "devices.csv", "summary.json", "report.html"}) {
                assertThat(Files.readAllBytes(sharded.resolve(file))).as(file).isEqualTo(Files.readAllBytes(local.resolve(file)));
            }
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(temp.resolve("worker.log"))).isTrue();
            assertThat(worker.exitValue()).isZero();
        } finally {
            worker.destroyForcibly();
        }
    }

    /**
     * scenarios/synthetic.yaml (cohorts of four, the java engine) with its devices on two JVMs: each trains on
     * the member that hosts it, and every file, the model's safetensors included, is the local run's.
     */
    @Test
    @Timeout(300)
    void aLearningRunShardedOverTwoJvmsWritesTheLocalRunsFilesAndModel() throws Exception {
        Path local = temp.resolve("learning-local");
        String synthetic = TestScenarios.file("synthetic.yaml").toString();
        CliRunner alone = CliRunner.execute("run", synthetic, "-q", "--out", local.toString());
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        int port = freePort();
        Process worker = workerJvm(port, temp.resolve("learning-worker.log"));
        try {
            Path sharded = temp.resolve("learning-sharded");
            CliRunner result = CliRunner.execute("run", synthetic, "--out", sharded.toString(),
                    "--cluster", "127.0.0.1:" + port, "--members", "2");
            String log = Files.readString(temp.resolve("learning-worker.log"));
            assertThat(result.exitCode()).as(result.err() + log).isZero();
            // Both members host devices: the worker's trained sub-adapters crossed to the server and back.
            assertThat(result.err()).containsPattern("devices per member: \\{[^}]*=[1-9][^}]*, [^}]*=[1-9]");
            for (String file : new String[] {"events.jsonl", "rounds.csv", "devices.csv", "summary.json", "report.html",
                    "model.safetensors"}) {
                assertThat(Files.readAllBytes(sharded.resolve(file))).as(file).isEqualTo(Files.readAllBytes(local.resolve(file)));
            }
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as(log).isTrue();
        } finally {
            worker.destroyForcibly();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A worker member in a JVM of its own, joining 127.0.0.1:{@code port} for one run. */
    private static Process workerJvm(int port, Path log) throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FedLoDrop.class.getName(),
                "worker", "--join", "127.0.0.1:" + port, "--host", "127.0.0.1", "--once")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String quickstart() {
        return TestScenarios.quickstart().toString();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void badClusterFlagsAreBadInput() throws Exception {
        Path runDirectory = temp.resolve("learning");
        CliRunner learning = CliRunner.execute("run", quickstart(), "--cluster", "127.0.0.1:25520", "--set", "data.workload=synthetic",
                "--set", "dropout.aggregation=exact", "--out", runDirectory.toString());
        assertThat(learning.exitCode()).isEqualTo(2);
        assertThat(learning.err()).contains("--cluster: dropout.aggregation: exact folds W0 on the server every round");
        assertThat(runDirectory).doesNotExist();
        CliRunner arm = CliRunner.execute("run", quickstart(), "--cluster", "127.0.0.1:25520", "--set", "data.workload=synthetic",
                "--set", "training.arm=centralised", "--out", runDirectory.toString());
        assertThat(arm.exitCode()).isEqualTo(2);
        assertThat(arm.err()).contains("--cluster: training.arm centralised trains in one place");
        assertThat(runDirectory).doesNotExist();
        CliRunner noMembers = CliRunner.execute("run", quickstart(), "--cluster", "127.0.0.1:25520", "--members", "0");
        assertThat(noMembers.exitCode()).isEqualTo(2);
        assertThat(noMembers.err()).contains("--members 0: expected 1 to 1000");
        Path study = temp.resolve("study.yaml");
        Files.writeString(study, "name: bad\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n"
                + "grid:\n  dropout.rate: [0.2]\nseeds: [1]\nmetrics: [participation]\n");
        CliRunner noPort = CliRunner.execute("worker", "--join", "localhost");
        assertThat(noPort.exitCode()).isEqualTo(2);
        assertThat(noPort.err()).contains("--join localhost: expected HOST:PORT");
        CliRunner badPort = CliRunner.execute("study", study.toString(), "--out", temp.resolve("a").toString(),
                "--cluster", "127.0.0.1:99999");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.err()).contains("--cluster 127.0.0.1:99999: the port must be a number from 1 to 65535");
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            CliRunner inUse = CliRunner.execute("study", study.toString(), "--out", temp.resolve("b").toString(),
                    "--cluster", "127.0.0.1:" + taken.getLocalPort(), "-q");
            assertThat(inUse.exitCode()).as(inUse.err()).isEqualTo(2);
            assertThat(inUse.err()).contains("--cluster 127.0.0.1:" + taken.getLocalPort() + ": cannot listen there");
            assertThat(inUse.hasStackTrace()).isFalse();
        }
        assertThat(noPort.hasStackTrace() || badPort.hasStackTrace()).isFalse();
    }
}
