package org.fedlodrop.simulator.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import org.fedlodrop.simulator.cluster.ClusterKeys;
import org.fedlodrop.simulator.cluster.MemberAddress;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Option;

/**
 * {@code --cluster-keys DIR}: the cluster's keys (made by {@code fedlodrop cluster-keys}), by default
 * $FEDLODROP_CLUSTER_KEYS. With keys, members talk mutual TLS; without, only a cluster on loopback addresses
 * (one machine) may run, in plain TCP.
 */
final class ClusterKeysOption {
    @Option(names = "--cluster-keys", paramLabel = "DIR", defaultValue = "${env:" + ClusterKeys.ENVIRONMENT + "}",
            description = {"The cluster's keys (fedlodrop cluster-keys --out DIR, copied to every machine): members talk",
                    "mutual TLS and admit only members with the same keys. Required unless every address is a",
                    "loopback address. Default: $" + ClusterKeys.ENVIRONMENT + "."})
    Path directory;

    /** The keys to run with at these addresses, or none on loopback without keys; an error where keys are needed. */
    Optional<ClusterKeys> keysFor(String option, MemberAddress... addresses) throws UserInputException {
        if (directory != null && !directory.toString().isBlank()) {
            try {
                return Optional.of(ClusterKeys.read(directory));
            } catch (ClusterKeys.KeysException e) {
                throw new UserInputException("--cluster-keys " + directory + ": " + e.getMessage());
            }
        }
        for (MemberAddress address : addresses) {
            if (!loopback(address.host())) {
                throw new UserInputException(option + ": members on " + address.host() + " talk over the network, so"
                        + " they need the cluster's keys: make them once with `fedlodrop cluster-keys --out DIR`, copy DIR"
                        + " to every machine, and pass --cluster-keys DIR (or set " + ClusterKeys.ENVIRONMENT + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
