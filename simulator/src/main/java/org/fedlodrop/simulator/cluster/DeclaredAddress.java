package org.fedlodrop.simulator.cluster;

import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLParameters;

/**
 * A connecting member names its own address in its TLS ClientHello, as an ALPN protocol name. Artery creates a
 * server's TLS engine before it accepts the connection, with the server's own bind address, and no hook gives it
 * the peer's, so a member refusing a handshake could otherwise not say who tried. The name is what the peer
 * declares about itself, not an address the server checked: the log says so. No protocol is ever negotiated
 * (the server's selector answers none), so the name changes nothing else in the handshake.
 */
final class DeclaredAddress {
    /** The ALPN name's prefix; a peer that is not a fedlodrop member offers no name with it. */
    static final String PREFIX = "fedlodrop-member/";

    private DeclaredAddress() {
    }

    /** {@code parameters} with {@code address} offered as this side's declared address. */
    static SSLParameters offer(SSLParameters parameters, String address) {
        parameters.setApplicationProtocols(new String[] {PREFIX + address});
        return parameters;
    }

    /** The address a connecting peer declared among the protocol names it offered, if it declared one. */
    static Optional<String> among(List<String> offered) {
        return offered.stream().filter(name -> name.startsWith(PREFIX) && name.length() > PREFIX.length())
                .map(name -> name.substring(PREFIX.length())).findFirst();
    }

    /** How a log line names a peer: by the address it declared, or as one that declared none. */
    static String describe(Optional<String> declared) {
        return declared.map(address -> "a member that gives its address as " + address)
                .orElse("a peer that did not give its address (not a fedlodrop member)");
    }
}
