package org.fedlodrop.simulator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlodrop.simulator.run.UserInputException;

/** Commands that read a finished run check first that its files are there, and say which is not. */
final class FinishedRun {
    private FinishedRun() {
    }

    static void require(Path run, String... files) throws UserInputException {
        for (String file : files) {
            if (!Files.isRegularFile(run.resolve(file))) {
                throw new UserInputException(run + ": no " + file + "; expected the directory of a finished run");
            }
        }
    }
}
