package org.fedlodrop.simulator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.actors.Device;
import org.fedlodrop.simulator.actors.Simulation;

/**
 * The configuration of a cluster member (docs/architecture.md, "Scale"): Pekko Cluster over Artery TCP,
 * seed node = the study's coordinator, the split-brain resolver's keep-oldest strategy (a member
 * that crashes is downed after {@code stable-after}, and members cut off from the coordinator down
 * themselves), cluster messages in Jackson CBOR.
 */
public final class ClusterNode {
    /** The actor system's name: every member of a fedlodrop cluster uses it. */
    public static final String SYSTEM = "fedlodrop-cluster";
    public static final String COORDINATOR_ROLE = "coordinator";
    public static final String WORKER_ROLE = "worker";
    /** Messages a member can have in flight to one peer; a sharded run may place at most this many devices per member. */
    public static final int SEND_QUEUE = 1 << 20;
    /** The largest message between members: a delivery or acknowledgement with a sub-adapter in it. */
    public static final int MAXIMUM_FRAME_BYTES = 4 << 20;

    private ClusterNode() {
    }

    /**
     * @param self  where this member listens (port 0: a free port)
     * @param seed  the coordinator, which every member joins
     * @param role  {@link #COORDINATOR_ROLE} or {@link #WORKER_ROLE}
     */
    public static Config config(MemberAddress self, MemberAddress seed, String role) {
        return config(self, seed, role, java.util.Optional.empty());
    }

    /** As above; with keys, the members talk mutual TLS and admit only members that hold the same keys. */
    public static Config config(MemberAddress self, MemberAddress seed, String role,
                                java.util.Optional<ClusterKeys> keys) {
        return ConfigFactory.parseString(String.join("\n",
                        "pekko.actor.provider = cluster",
                        keys.isPresent() ? tls(keys.get()) : "pekko.remote.artery.transport = tcp",
                        "pekko.remote.artery.canonical.hostname = \"" + self.host() + "\"",
                        "pekko.remote.artery.canonical.port = " + self.port(),
                        "pekko.cluster.seed-nodes = [\"pekko://" + SYSTEM + "@" + seed.host() + ":" + seed.port() + "\"]",
                        "pekko.cluster.roles = [" + role + "]",
                        "pekko.cluster.downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"",
                        "pekko.cluster.split-brain-resolver.active-strategy = keep-oldest",
                        "pekko.cluster.split-brain-resolver.keep-oldest.down-if-alone = off",
                        "pekko.cluster.split-brain-resolver.stable-after = 3s",
                        "pekko.cluster.jmx.enabled = off",
                        "pekko.cluster.log-info = off",
                        "pekko.cluster.sharding.passivation.strategy = none",
                        // Placing a million devices keeps both members' heaps busy for a minute: heartbeats ran 2
                        // to 6 s late and the members took each other for lost (docs/benchmarks/scale.txt). A
                        // member that really dies is still found within the pause.
                        "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 20s",
                        // A device entity holds its round's state: shards must not move during a run.
                        "pekko.cluster.sharding.rebalance-interval = 100 d",
                        // Every device is activated at once, while its shard may still be allocating; the
                        // region buffers those messages and would drop any beyond the default 100,000.
                        "pekko.cluster.sharding.buffer-size = 10000000",
                        // A clock step sends one message per device of the step, with no flow control but the
                        // step's barrier; Artery drops what overflows its send queue (3,072 by default). The
                        // queue is a preallocated array: 2^20 entries, some 4 MiB per peer, bound the devices
                        // one member can host.
                        "pekko.remote.artery.advanced.outbound-message-queue-size = " + SEND_QUEUE,
                        "pekko.coordinated-shutdown.exit-jvm = off",
                        // A learning run's deliveries carry sub-adapters and its acknowledgements trained
                        // updates (MiniLM at rank 8: some 0.3 MB); buffers are taken only as messages need them.
                        "pekko.remote.artery.advanced.maximum-frame-size = " + MAXIMUM_FRAME_BYTES + "b",
                        "pekko.serialization.jackson.jackson-modules += \"" + TensorModule.class.getName() + "\"",
                        "pekko.actor.serialization-bindings {",
                        "  \"" + ClusterSerializable.class.getName() + "\" = jackson-cbor",
                        // The clock protocol, when devices are sharded over members.
                        "  \"" + Clock.Register.class.getName() + "\" = jackson-cbor",
                        "  \"" + Clock.Delivery.class.getName() + "\" = jackson-cbor",
                        "  \"" + Clock.Ack.class.getName() + "\" = jackson-cbor",
                        "  \"" + Device.Activate.class.getName() + "\" = jackson-cbor",
                        "}"))
                .withFallback(Simulation.quiet())
                .resolve(); // the jackson-modules list above appends to the default one
    }

    /**
     * Artery over TLS 1.3 with mutual authentication: the cluster's one key store serves as key and trust store
     * (ClusterKeys); hostnames are not checked, since every member presents the same certificate.
     */
    static String tls(ClusterKeys keys) {
        String store = keys.keyStore().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return String.join("\n",
                "pekko.remote.artery.transport = tls-tcp",
                "pekko.remote.artery.ssl.ssl-engine-provider = \"" + ClusterTlsEngine.class.getName() + "\"",
                "pekko.remote.artery.ssl.config-ssl-engine {",
                "  key-store = \"" + store + "\"",
                "  trust-store = \"" + store + "\"",
                "  key-store-password = \"" + keys.password() + "\"",
                "  key-password = \"" + keys.password() + "\"",
                "  trust-store-password = \"" + keys.password() + "\"",
                "  protocol = \"TLSv1.3\"",
                "  enabled-algorithms = [\"TLS_AES_256_GCM_SHA384\", \"TLS_AES_128_GCM_SHA256\"]",
                "  require-mutual-authentication = on",
                "  hostname-verification = off",
                "}");
    }

    /**
     * The name under which a member parses a resolved scenario it was sent: the original source, so that
     * provenance names it, but always read as YAML, which is what the resolved text is.
     */
    public static String resolvedSource(String source) {
        return source.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? source + ".yaml" : source;
    }

    /** The innermost cause's message: what a user can act on when a member cannot start. */
    public static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    /** Splits a file's bytes into pieces small enough for one Artery frame (256 KiB by default). */
    public static List<byte[]> chunks(byte[] bytes) {
        int size = 192 * 1024;
        List<byte[]> list = new java.util.ArrayList<>();
        for (int from = 0; from < bytes.length; from += size) {
            list.add(java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size)));
        }
        if (list.isEmpty()) {
            list.add(new byte[0]);
        }
        return list;
    }
}
