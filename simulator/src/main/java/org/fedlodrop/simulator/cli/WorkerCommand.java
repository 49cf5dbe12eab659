package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.fedlodrop.simulator.cluster.MemberAddress;
import org.fedlodrop.simulator.cluster.ClusterKeys;
import org.fedlodrop.simulator.cluster.ClusterTlsEngine;
import org.fedlodrop.simulator.cluster.WorkerNode;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Join a study's cluster and run its points: `fedlodrop study STUDY --cluster HOST:PORT` on",
                "one machine, `fedlodrop worker --join HOST:PORT` on the others. Scenario data files (texts,",
                "checkpoints, gain traces) must be at the same paths on every machine. After a study ends the",
                "worker waits for the next one at the same address, unless --once is given."})
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT", description = "The study coordinator's address.")
    String join;

    @Option(names = "--host", paramLabel = "HOST",
            description = "This machine's address as the others reach it (default: the first non-loopback address).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: 0, any free port).")
    int port;

    @Option(names = "--workers", paramLabel = "N", description = "Runs at once (default: the number of processors).")
    Integer workers;

    @picocli.CommandLine.Mixin
    ClusterKeysOption clusterKeys = new ClusterKeysOption();

    @Option(names = "--once", description = "Exit after one study instead of waiting for the next.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        MemberAddress coordinator = MemberAddress.parse("--join", join);
        int slots = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (slots < 1 || slots > 256) {
            throw new UserInputException("--workers " + slots + ": expected 1 to 256");
        }
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port " + port + ": expected 0 (any free port) to 65535");
        }
        String self = host != null ? MemberAddress.checkHost("--host", host) : ClusterStudyCommand.localAddress();
        java.util.Optional<ClusterKeys> keys = clusterKeys.keysFor("--join " + coordinator, coordinator,
                new MemberAddress(self, port));
        PrintWriter err = spec.commandLine().getErr();
        java.util.Optional<String> refusal = org.fedlodrop.simulator.cluster.HandshakeProbe.refusal(coordinator, keys);
        if (refusal.isPresent()) {
            throw new UserInputException("--join " + coordinator + ": refused at the TLS handshake: " + refusal.get());
        }
        do {
            java.util.concurrent.atomic.AtomicReference<ClusterTlsEngine.Refused> refused =
                    new java.util.concurrent.atomic.AtomicReference<>();
            ActorSystem<Void> system = ClusterStudyCommand.start(() -> WorkerNode.start(new MemberAddress(self, port),
                    coordinator, slots, keys, refused::set), "--port " + port);
            err.printf("worker %s with %d slots: joining %s%s%n", system.address(), slots, coordinator,
                    keys.map(k -> " over TLS (cluster keys " + k.fingerprint() + ")").orElse(""));
            err.flush();
            system.getWhenTerminated().toCompletableFuture().join();
            if (refused.get() != null) {
                throw new UserInputException("--join " + coordinator + ": refused at the TLS handshake with "
                        + refused.get().peer() + ": " + refused.get().reason() + "; use the coordinator's --cluster-keys");
            }
            err.printf("worker %s: the study ended%n", system.address());
            err.flush();
        } while (!once);
        return FedLoDrop.EXIT_OK;
    }
}
