package org.fedlodrop.simulator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.cluster.ClusterKeys;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cluster-keys", mixinStandardHelpOptions = true,
        description = {"Make a new cluster's keys: one key pair and certificate (cluster.p12) and its password",
                "(cluster.password). Copy the directory to every machine of the cluster and pass it to",
                "study --cluster, run --cluster and worker with --cluster-keys DIR: members then talk mutual TLS,",
                "and a member without these keys cannot join."})
final class ClusterKeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the keys (made if needed; must not hold keys).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ClusterKeys keys;
        try {
            keys = ClusterKeys.make(out);
        } catch (ClusterKeys.KeysException e) {
            throw new UserInputException("--out " + out + ": " + e.getMessage());
        }
        spec.commandLine().getOut().printf("wrote %s and %s (fingerprint %s)%n", keys.keyStore(),
                out.resolve(ClusterKeys.PASSWORD), keys.fingerprint());
        spec.commandLine().getOut().printf("copy %s to every machine of the cluster and pass --cluster-keys %s"
                + " (or set %s); keep it private: whoever holds it can join%n", out, out, ClusterKeys.ENVIRONMENT);
        return FedLoDrop.EXIT_OK;
    }
}
