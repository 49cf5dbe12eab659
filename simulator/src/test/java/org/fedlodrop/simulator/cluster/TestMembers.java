package org.fedlodrop.simulator.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/** Worker members on 127.0.0.1 ports for one test, all stopped when it ends. */
final class TestMembers implements AutoCloseable {
    private final List<ActorSystem<Void>> members = new ArrayList<>();

    /** A seed address on a free port of 127.0.0.1. */
    static MemberAddress freeSeed() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new MemberAddress("127.0.0.1", socket.getLocalPort());
        }
    }

    /** A worker member joining {@code seed}, with {@code slots} study slots and a run host. */
    ActorSystem<Void> worker(MemberAddress seed, int slots) {
        ActorSystem<Void> member = WorkerNode.start(new MemberAddress("127.0.0.1", 0), seed, slots);
        members.add(member);
        return member;
    }

    /** As above over mutual TLS with {@code keys}; {@code refused} hears a refusal at the handshake. */
    ActorSystem<Void> worker(MemberAddress seed, int slots, java.util.Optional<ClusterKeys> keys,
                             java.util.function.Consumer<ClusterTlsEngine.Refused> refused) {
        ActorSystem<Void> member = WorkerNode.start(new MemberAddress("127.0.0.1", 0), seed, slots, keys, refused);
        members.add(member);
        return member;
    }

    @Override
    public void close() throws Exception {
        for (ActorSystem<Void> member : members) {
            member.terminate();
            member.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
