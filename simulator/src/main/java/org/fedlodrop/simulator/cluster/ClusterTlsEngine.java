package org.fedlodrop.simulator.cluster;

import java.net.Socket;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider;

/**
 * Artery's configured TLS engine (mutual authentication against {@link ClusterKeys}), which also says who was
 * refused: a peer whose certificate is not this cluster's, or a connecting member that broke off the handshake
 * because this member's is not its cluster's, is published as a {@link Refused} on the actor system's event
 * stream and logged with its address (on the server side, the address the peer declared: {@link DeclaredAddress}),
 * so that a member with other keys can say why it cannot join and the coordinator logs who tried.
 */
public final class ClusterTlsEngine extends ConfigSSLEngineProvider {
    /**
     * A TLS handshake this member refused.
     *
     * @param peer       the other side: its host:port where this member connected, else the address it declared
     * @param connecting whether this member opened the connection (its coordinator or a peer refused as server)
     */
    public record Refused(String peer, boolean connecting, String reason) {
    }

    private final ActorSystem system;
    /** The address each server engine's peer declared, until the engine is gone. */
    private final Map<SSLEngine, String> declared = Collections.synchronizedMap(new WeakHashMap<>());

    public ClusterTlsEngine(ActorSystem system) {
        super(system);
        this.system = system;
    }

    /**
     * The server side reports too when the connecting member broke off the handshake: a member with other keys
     * refuses this member's certificate before showing its own (TLS 1.3), so only its alert tells. Artery
     * creates a server engine with this member's own bind address, not the peer's, so the peer is named by the
     * address it declares in its ClientHello ({@link DeclaredAddress}), which the selector here picks up.
     */
    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = super.createServerSSLEngine(hostname, port);
        engine.setHandshakeApplicationProtocolSelector((self, offered) -> {
            DeclaredAddress.among(offered).ifPresent(address -> declared.put(self, address));
            return ""; // negotiate no protocol: the name only tells who connects
        });
        return new ReportingServerEngine(engine, hostname, port, alert -> {
            String peer = DeclaredAddress.describe(Optional.ofNullable(declared.get(engine)));
            Refused refused = new Refused(peer, false, "it broke off the handshake (" + alert
                    + "): it does not trust this member's certificate (other cluster keys)");
            system.log().warning("cluster TLS: refused {}, connecting to {}:{}: {}", peer, hostname, port,
                    refused.reason());
            system.eventStream().publish(refused);
        });
    }

    /** A connecting member declares its own address, so that a server refusing it can say who it was. */
    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        SSLEngine engine = super.createClientSSLEngine(hostname, port);
        ownAddress().ifPresent(address -> engine.setSSLParameters(DeclaredAddress.offer(engine.getSSLParameters(), address)));
        return engine;
    }

    /** This member's canonical host:port, once Artery has bound it. */
    private Optional<String> ownAddress() {
        Address address = ((ExtendedActorSystem) system).provider().getDefaultAddress();
        return address.getHost().flatMap(host -> address.getPort().map(port -> host + ":" + port));
    }

    @Override
    public TrustManager[] trustManagers() {
        TrustManager[] managers = super.trustManagers();
        for (int i = 0; i < managers.length; i++) {
            if (managers[i] instanceof X509ExtendedTrustManager trust) {
                managers[i] = new Reporting(trust);
            }
        }
        return managers;
    }

    private void refused(SSLEngine engine, boolean connecting, X509Certificate[] chain) {
        // A client engine knows the member it connected to; a server engine only what the peer declared.
        String peer = engine == null ? "an unknown peer" : connecting ? engine.getPeerHost() + ":" + engine.getPeerPort()
                : DeclaredAddress.describe(Optional.ofNullable(declared.get(engine)));
        String subject = chain == null || chain.length == 0 ? "none" : chain[0].getSubjectX500Principal().getName();
        Refused refused = new Refused(peer, connecting, "its certificate is not this cluster's (it presented " + subject
                + ": other cluster keys)");
        system.log().warning("cluster TLS: refused {} at {}: {}", connecting ? "the member it connected to" : "a member",
                peer, refused.reason());
        system.eventStream().publish(refused);
    }

    /** The configured trust check, reporting what it refuses. */
    private final class Reporting extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager trust;

        Reporting(X509ExtendedTrustManager trust) {
            this.trust = trust;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                trust.checkClientTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                refused(engine, false, chain);
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                trust.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                refused(engine, true, chain);
                throw e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
