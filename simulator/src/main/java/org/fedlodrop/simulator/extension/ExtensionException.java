package org.fedlodrop.simulator.extension;

/** The plugin path cannot be used: a missing directory, a jar that cannot be read, a plugin that fails to load. */
public final class ExtensionException extends Exception {
    public ExtensionException(String message) {
        super(message);
    }
}
