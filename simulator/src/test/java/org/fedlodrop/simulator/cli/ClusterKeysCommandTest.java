package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.fedlodrop.simulator.cluster.ClusterKeys;
import org.fedlodrop.simulator.cluster.ClusterTlsEngine;
import org.fedlodrop.simulator.cluster.MemberAddress;
import org.fedlodrop.simulator.cluster.WorkerNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cluster-keys makes a cluster's keys; a worker with other keys, without keys, or with keys where the coordinator has
 * none is refused at the handshake, in one line, exit 2; the coordinator reports the one with other keys by the
 * address it declared.
 */
@org.junit.jupiter.api.Timeout(120)
class ClusterKeysCommandTest {
    @TempDir
    Path temp;

    @Test
    void aWorkerThatCannotTalkToTheCoordinatorSaysWhyAndExitsTwo() throws Exception {
        CliRunner ours = CliRunner.execute("cluster-keys", "--out", temp.resolve("ours").toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        assertThat(ours.out()).contains("cluster.p12", "fingerprint ");
        CliRunner again = CliRunner.execute("cluster-keys", "--out", temp.resolve("ours").toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already holds cluster keys");
        assertThat(CliRunner.execute("cluster-keys", "--out", temp.resolve("theirs").toString()).exitCode()).isZero();

        MemberAddress seed;
        try (ServerSocket socket = new ServerSocket(0)) {
            seed = new MemberAddress("127.0.0.1", socket.getLocalPort());
        }
        // A one-member cluster with our keys stands for the coordinator.
        ActorSystem<Void> coordinator = WorkerNode.start(seed, seed, 1, Optional.of(ClusterKeys.read(temp.resolve("ours"))),
                r -> { });
        List<ClusterTlsEngine.Refused> refusedAtCoordinator = new CopyOnWriteArrayList<>();
        ActorRef<ClusterTlsEngine.Refused> listener = coordinator.systemActorOf(Behaviors.receiveMessage(refused -> {
            refusedAtCoordinator.add(refused);
            return Behaviors.same();
        }), "refusals", Props.empty());
        coordinator.eventStream().tell(new EventStream.Subscribe<>(ClusterTlsEngine.Refused.class, listener));
        try {
            CliRunner stranger = CliRunner.execute("worker", "--join", seed.toString(), "--host", "127.0.0.1", "--workers", "1",
                    "--once", "--cluster-keys", temp.resolve("theirs").toString());
            assertThat(stranger.exitCode()).isEqualTo(2);
            assertThat(stranger.err()).contains("--join " + seed + ": refused at the TLS handshake",
                    "its certificate is not this cluster's");
            assertThat(stranger.hasStackTrace()).isFalse();
            // The coordinator logged who broke off its handshake: the worker's probe, from this machine.
            for (int wait = 0; wait < 100 && refusedAtCoordinator.isEmpty(); wait++) {
                Thread.sleep(100); // the event stream delivers asynchronously
            }
            assertThat(refusedAtCoordinator).isNotEmpty();
            assertThat(refusedAtCoordinator.get(0).peer()).startsWith("a member that gives its address as 127.0.0.1:");
            assertThat(refusedAtCoordinator.get(0).reason()).contains("it broke off the handshake",
                    "it does not trust this member's certificate");
            CliRunner keyless = CliRunner.execute("worker", "--join", seed.toString(), "--host", "127.0.0.1", "--workers", "1",
                    "--once");
            assertThat(keyless.exitCode()).isEqualTo(2);
            assertThat(keyless.err()).contains("--join " + seed + ": refused at the TLS handshake: the coordinator speaks TLS");
        } finally {
            coordinator.terminate();
            coordinator.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        // A worker with keys, and a coordinator without: they could never talk either.
        MemberAddress plainSeed;
        try (ServerSocket socket = new ServerSocket(0)) {
            plainSeed = new MemberAddress("127.0.0.1", socket.getLocalPort());
        }
        ActorSystem<Void> plain = WorkerNode.start(plainSeed, plainSeed, 1, Optional.empty(), r -> { });
        try {
            CliRunner keyed = CliRunner.execute("worker", "--join", plainSeed.toString(), "--host", "127.0.0.1",
                    "--workers", "1", "--once", "--cluster-keys", temp.resolve("ours").toString());
            assertThat(keyed.exitCode()).isEqualTo(2);
            assertThat(keyed.err()).contains("the coordinator does not speak TLS");
        } finally {
            plain.terminate();
            plain.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        CliRunner noKeys = CliRunner.execute("worker", "--join", "192.0.2.10:2552", "--once");
        assertThat(noKeys.exitCode()).isEqualTo(2);
        assertThat(noKeys.err()).contains("need the cluster's keys", "fedlodrop cluster-keys --out DIR");
    }
}
