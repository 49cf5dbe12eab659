package org.fedlodrop.simulator.cluster;

import org.fedlodrop.simulator.run.UserInputException;

/** Where a cluster member listens: a host name or address and a TCP port (0: any free port). */
public record MemberAddress(String host, int port) {

    /**
     * Parses {@code HOST:PORT} as given to {@code --cluster} or {@code --join}.
     *
     * @param option the option's name, for the message
     */
    public static MemberAddress parse(String option, String text) throws UserInputException {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UserInputException(option + " " + text + ": expected HOST:PORT, e.g. 10.0.0.5:2552");
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UserInputException(option + " " + text + ": the port must be a number from 1 to 65535");
        }
        if (port < 1 || port > 65535) {
            throw new UserInputException(option + " " + text + ": the port must be a number from 1 to 65535");
        }
        return new MemberAddress(checkHost(option + " " + text, host), port);
    }

    /** A host name or an IPv4 or bracketed IPv6 address, as given to {@code --host}. */
    public static String checkHost(String option, String host) throws UserInputException {
        if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw new UserInputException(option + ": '" + host + "' is not a host name or address");
        }
        return host;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
