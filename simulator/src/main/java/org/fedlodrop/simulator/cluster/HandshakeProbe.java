package org.fedlodrop.simulator.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Before a worker starts its member, one TLS handshake with the coordinator's port tells whether the two can ever
 * talk: a coordinator with other cluster keys, with keys where the worker has none, or without keys where the
 * worker has them, refuses every connection the member would make, and the member would wait for ever. A
 * coordinator not up yet is not a refusal: the member starts and retries, as before.
 */
public final class HandshakeProbe {
    private static final int TIMEOUT_MS = 5_000;

    private HandshakeProbe() {
    }

    /** Why the worker cannot join {@code coordinator} with {@code keys}; empty if it can, or cannot tell yet. */
    public static Optional<String> refusal(MemberAddress coordinator, Optional<ClusterKeys> keys) {
        SSLContext context;
        try {
            context = keys.isPresent() ? withKeys(keys.get()) : acceptingAny();
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of("cannot use the cluster keys: " + e.getMessage());
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(coordinator.host(), coordinator.port()), TIMEOUT_MS);
            plain.setSoTimeout(TIMEOUT_MS);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, coordinator.host(),
                    coordinator.port(), false)) {
                tls.setEnabledProtocols(new String[] {"TLSv1.3"});
                // The coordinator, if it refuses this handshake, can name who tried only by what we declare.
                tls.setSSLParameters(DeclaredAddress.offer(tls.getSSLParameters(),
                        plain.getLocalAddress().getHostAddress() + ":" + plain.getLocalPort()));
                tls.startHandshake();
                // TLS 1.3 reports a refused client certificate with the first read after the handshake.
                tls.getInputStream().available();
                if (keys.isEmpty()) {
                    return Optional.of("the coordinator speaks TLS: pass its --cluster-keys DIR");
                }
                return Optional.empty();
            } catch (SSLException e) {
                return Optional.ofNullable(diagnose(e, keys.isPresent()));
            } catch (IOException e) {
                // Connected, but no TLS answer: a plain Artery port waits for its own frames or resets the connection.
                return keys.isPresent() ? Optional.of("the coordinator does not speak TLS (it runs without"
                        + " --cluster-keys): start both with the same keys") : Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty(); // not up yet, or not reachable yet: the member retries
        }
    }

    /** The refusal an SSL failure means, or null where it means the peer does not speak TLS and we do not either. */
    private static String diagnose(SSLException e, boolean withKeys) {
        String message = String.valueOf(e.getMessage());
        boolean certificate = message.contains("certificate") || message.contains("PKIX")
                || e.getCause() instanceof java.security.cert.CertificateException;
        if (certificate) {
            return withKeys ? "its certificate is not this cluster's (other cluster keys)"
                    : "the coordinator speaks TLS and admits only members with its keys: pass its --cluster-keys DIR";
        }
        return withKeys ? "the coordinator does not speak TLS (it runs without --cluster-keys): start both with the same keys"
                : null;
    }

    private static SSLContext withKeys(ClusterKeys keys) throws IOException, GeneralSecurityException {
        KeyStore store = keys.open();
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, keys.password().toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** No keys: accept whatever the server presents, only to learn whether it speaks TLS. */
    private static SSLContext acceptingAny() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
