package org.fedlodrop.simulator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlodrop.reports.io.RunState;
import org.fedlodrop.simulator.run.UserInputException;

/**
 * Commands that read a finished run check first that its files are there, and say which is not, or what became
 * of a run that did not finish (still running, interrupted, failed: {@link RunState}).
 */
final class FinishedRun {
    private FinishedRun() {
    }

    static void require(Path run, String... files) throws UserInputException {
        for (String file : files) {
            if (!Files.isRegularFile(run.resolve(file))) {
                RunState state = state(run);
                if (state.status() == RunState.Status.UNKNOWN || state.status() == RunState.Status.COMPLETE) {
                    throw new UserInputException(run + ": no " + file + "; expected the directory of a finished run");
                }
                throw new UserInputException(state.describe(run) + "; " + file + " is written when a run finishes"
                        + (state.status() == RunState.Status.RUNNING ? "" : " (fedlodrop report " + run
                        + " shows the finished rounds)"));
            }
        }
    }

    static RunState state(Path run) throws UserInputException {
        try {
            return RunState.of(run);
        } catch (IOException e) {
            throw new UserInputException(run + ": cannot read its manifest.json: " + e.getMessage());
        }
    }
}
