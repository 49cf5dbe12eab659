package org.fedlodrop.simulator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.viewer.ViewServer;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Serve the interactive replay viewer of a finished run on 127.0.0.1: map, timeline of",
                "download/compute/upload, play, pause, step and a scrubber over virtual time, per-round charts,",
                "device details on click. Reads only the run directory's files. Stop with Ctrl-C."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory.")
    Path run;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (0: any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        FinishedRun.require(run, RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.TOPOLOGY);
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port " + port + ": expected 0 to 65535");
        }
        ViewServer server;
        try {
            server = ViewServer.start(run, port);
        } catch (java.net.BindException e) {
            throw new UserInputException("--port " + port + ": in use; choose another, or 0 for any free port");
        }
        spec.commandLine().getOut().println("fedlodrop viewer of " + run + " at " + server.url() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        new CountDownLatch(1).await();
        return FedLoDrop.EXIT_OK;
    }
}
