package org.fedlodrop.simulator.cli;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.fedlodrop.simulator.cluster.ClusterNode;
import org.fedlodrop.simulator.run.UserInputException;

/** What the cluster commands share: this machine's address, and a member that cannot listen reported as bad input. */
final class ClusterStudyCommand {
    private ClusterStudyCommand() {
    }

    /** The first site-local or other non-loopback IPv4 address, else the loopback. */
    static String localAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        return "127.0.0.1";
    }

    /** Starts a member; one that cannot bind its port is the user's to fix, not a bug. */
    static <T> ActorSystem<T> start(Supplier<ActorSystem<T>> member, String option) throws UserInputException {
        try {
            return member.get();
        } catch (RuntimeException e) {
            throw new UserInputException(option + ": cannot start a cluster member there (" + ClusterNode.rootMessage(e) + ")");
        }
    }
}
