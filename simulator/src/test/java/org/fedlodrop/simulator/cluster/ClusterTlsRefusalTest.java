package org.fedlodrop.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.fedlodrop.simulator.actors.Simulation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both ends of a refused cluster handshake say so (issue 35): the member with other keys refuses the
 * coordinator's certificate, and the coordinator, which under TLS 1.3 never sees that member's certificate,
 * reports that a member broke off, naming it by the address it declared in its ClientHello (Artery does not
 * tell the server's engine who connects); the member's side names the coordinator's. The two TLS engines run in
 * memory, as Artery builds them; the member's actor system is a remote one, bound, so that it has an address.
 */
class ClusterTlsRefusalTest {
    @TempDir
    Path temp;

    private final List<org.apache.pekko.actor.ExtendedActorSystem> systems = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        systems.forEach(org.apache.pekko.actor.ActorSystem::terminate);
    }

    @Test
    void theCoordinatorReportsAMemberWithOtherKeysThatBrokeOffTheHandshakeByItsDeclaredAddress() throws Exception {
        List<ClusterTlsEngine.Refused> atCoordinator = new CopyOnWriteArrayList<>();
        List<ClusterTlsEngine.Refused> atMember = new CopyOnWriteArrayList<>();
        SSLEngine server = engine(ClusterKeys.make(temp.resolve("ours")), atCoordinator, false)
                .createServerSSLEngine("10.0.0.5", 2552);
        ClusterTlsEngine member = engine(ClusterKeys.make(temp.resolve("theirs")), atMember, true);
        SSLEngine client = member.createClientSSLEngine("10.0.0.5", 2552);
        handshake(client, server);

        assertThat(atMember).singleElement().satisfies(refused -> {
            assertThat(refused.connecting()).isTrue();
            assertThat(refused.peer()).isEqualTo("10.0.0.5:2552");
            assertThat(refused.reason()).contains("its certificate is not this cluster's");
        });
        int memberPort = systems.get(systems.size() - 1).provider().getDefaultAddress().getPort().orElseThrow();
        assertThat(memberPort).isPositive();
        assertThat(atCoordinator).singleElement().satisfies(refused -> {
            assertThat(refused.peer()).isEqualTo("a member that gives its address as 127.0.0.1:" + memberPort);
            assertThat(refused.connecting()).isFalse();
            assertThat(refused.reason()).contains("it broke off the handshake", "Received fatal alert",
                    "it does not trust this member's certificate (other cluster keys)");
        });
    }

    @Test
    void aPeerThatDeclaresNoAddressIsReportedAsOne() throws Exception {
        List<ClusterTlsEngine.Refused> atCoordinator = new CopyOnWriteArrayList<>();
        SSLEngine server = engine(ClusterKeys.make(temp.resolve("ours")), atCoordinator, false)
                .createServerSSLEngine("10.0.0.5", 2552);
        // An actor system without remoting has no address to declare.
        SSLEngine client = engine(ClusterKeys.make(temp.resolve("theirs")), new CopyOnWriteArrayList<>(), false)
                .createClientSSLEngine("10.0.0.5", 2552);
        assertThat(client.getSSLParameters().getApplicationProtocols()).isEmpty();
        handshake(client, server);
        assertThat(atCoordinator).singleElement().satisfies(refused ->
                assertThat(refused.peer()).isEqualTo("a peer that did not give its address (not a fedlodrop member)"));
    }

    @Test
    void membersWithTheSameKeysShakeHandsAndNobodyIsReported() throws Exception {
        ClusterKeys keys = ClusterKeys.make(temp.resolve("shared"));
        List<ClusterTlsEngine.Refused> reported = new CopyOnWriteArrayList<>();
        SSLEngine server = engine(keys, reported, false).createServerSSLEngine("10.0.0.5", 2552);
        SSLEngine client = engine(keys, reported, true).createClientSSLEngine("10.0.0.5", 2552);
        handshake(client, server);
        assertThat(reported).isEmpty();
        assertThat(client.getHandshakeStatus()).isEqualTo(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING);
        assertThat(server.getHandshakeStatus()).isEqualTo(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING);
        assertThat(server.getSession().getProtocol()).isEqualTo("TLSv1.3");
        // The declared address negotiates nothing.
        assertThat(client.getApplicationProtocol()).isEmpty();
        assertThat(server.getApplicationProtocol()).isEmpty();
    }

    /**
     * The engine a member with these keys builds, whose refusals land in {@code refused}; {@code remote}: its actor
     * system runs Artery on 127.0.0.1 (any port), as a member's does, so that it has an address to declare.
     */
    private ClusterTlsEngine engine(ClusterKeys keys, List<ClusterTlsEngine.Refused> refused, boolean remote) {
        String remoting = remote ? "pekko.actor.provider = remote\npekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                + "pekko.remote.artery.canonical.port = 0\n" : "";
        org.apache.pekko.actor.ActorSystem system = org.apache.pekko.actor.ActorSystem.create("tls-" + systems.size(),
                ConfigFactory.parseString(remoting + ClusterNode.tls(keys)).withFallback(Simulation.quiet()));
        systems.add((org.apache.pekko.actor.ExtendedActorSystem) system);
        system.eventStream().subscribe(
                system.actorOf(org.apache.pekko.actor.Props.create(Listener.class, () -> new Listener(refused))),
                ClusterTlsEngine.Refused.class);
        return new ClusterTlsEngine(system);
    }

    /** Runs the handshake in memory until it completes or one side has failed and the other heard its alert. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        client.beginHandshake();
        server.beginHandshake();
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
        ByteBuffer clientApp = ByteBuffer.allocate(4 * packet);
        ByteBuffer serverApp = ByteBuffer.allocate(4 * packet);
        ByteBuffer none = ByteBuffer.allocate(0);
        boolean clientFailed = false;
        boolean serverFailed = false;
        for (int step = 0; step < 100; step++) {
            if (!client.isOutboundDone()) {
                try {
                    client.wrap(none, toServer);
                    tasks(client);
                } catch (SSLException e) {
                    clientFailed = true; // its alert goes out with the next wrap
                }
            }
            toServer.flip();
            if (toServer.hasRemaining() && !serverFailed) {
                try {
                    server.unwrap(toServer, serverApp);
                    tasks(server);
                } catch (SSLException e) {
                    serverFailed = true;
                }
            }
            toServer.compact();
            if (!server.isOutboundDone()) {
                try {
                    server.wrap(none, toClient);
                    tasks(server);
                } catch (SSLException e) {
                    serverFailed = true;
                }
            }
            toClient.flip();
            if (toClient.hasRemaining() && !clientFailed) {
                try {
                    client.unwrap(toClient, clientApp);
                    tasks(client);
                } catch (SSLException e) {
                    clientFailed = true; // its alert goes out with the next wrap
                }
            }
            toClient.compact();
            boolean done = client.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
            if (done || (clientFailed && serverFailed) || (client.isOutboundDone() && serverFailed)) {
                break;
            }
        }
        Thread.sleep(500); // the event stream delivers to the listeners asynchronously
    }

    private static void tasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Collects what a member's event stream publishes. */
    static final class Listener extends org.apache.pekko.actor.AbstractActor {
        private final List<ClusterTlsEngine.Refused> refused;

        Listener(List<ClusterTlsEngine.Refused> refused) {
            this.refused = refused;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(ClusterTlsEngine.Refused.class, refused::add).build();
        }
    }
}
