package org.fedlodrop.simulator.run;

/** A mistake of the user's (a flag, a path), reported as one clear message with exit code 2. */
public final class UserInputException extends Exception {
    public UserInputException(String message) {
        super(message);
    }
}
