package org.fedlodrop.simulator.cli;

import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Option;

/**
 * {@code --threads N} of a command that runs several runs at once (study, compare): each run's dispatcher threads.
 * By default the processors are shared among the runs at once, so that fewer runs than cores still use them all.
 */
final class RunThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = {"Dispatcher threads of each run (default: the processors shared among the runs at once, at",
                    "least 1). A run's files are the same bytes on any number."})
    Integer threads;

    /** Whether --threads was given. */
    boolean given() {
        return threads != null;
    }

    /** Each run's threads with {@code workers} runs at once. */
    int perRun(int workers) throws UserInputException {
        int perRun = threads == null ? Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers))
                : threads;
        if (perRun < 1 || perRun > 256) {
            throw new UserInputException("--threads " + perRun + ": expected 1 to 256");
        }
        return perRun;
    }
}
