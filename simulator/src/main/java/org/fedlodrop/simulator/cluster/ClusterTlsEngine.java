package org.fedlodrop.simulator.cluster;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider;

/**
 * Artery's configured TLS engine (mutual authentication against {@link ClusterKeys}), which also says who was
 * refused: a peer whose certificate is not this cluster's, or a connecting member that broke off the handshake
 * because this member's is not its cluster's, is published as a {@link Refused} on the actor system's event
 * stream and logged with its address, so that a member with other keys can say why it cannot join and the
 * coordinator logs who tried.
 */
public final class ClusterTlsEngine extends ConfigSSLEngineProvider {
    /**
     * A TLS handshake this member refused.
     *
     * @param peer      the other side's host:port, as the engine knows it
     * @param connecting whether this member opened the connection (its coordinator or a peer refused as server)
     */
    public record Refused(String peer, boolean connecting, String reason) {
    }

    private final ActorSystem system;

    public ClusterTlsEngine(ActorSystem system) {
        super(system);
        this.system = system;
    }

    /** What a server-side refusal names as the peer: Artery builds the engine before it knows who connects. */
    public static final String UNKNOWN_PEER = "a member whose address Artery does not give the TLS engine";

    /**
     * The server side reports too when the connecting member broke off the handshake: a member with other keys
     * refuses this member's certificate before showing its own (TLS 1.3), so only its alert tells. Artery
     * creates a server engine with this member's own bind address, not the peer's, so the peer goes unnamed.
     */
    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = super.createServerSSLEngine(hostname, port);
        return new ReportingServerEngine(engine, hostname, port, alert -> {
            Refused refused = new Refused(UNKNOWN_PEER, false, "it broke off the handshake (" + alert
                    + "): it does not trust this member's certificate (other cluster keys)");
            system.log().warning("cluster TLS: refused {} listening at {}:{}: {}", UNKNOWN_PEER, hostname, port,
                    refused.reason());
            system.eventStream().publish(refused);
        });
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
        String peer = engine == null ? "an unknown peer" : engine.getPeerHost() + ":" + engine.getPeerPort();
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
