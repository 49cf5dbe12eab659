package org.fedlodrop.simulator.extension;

/**
 * A plugin misbehaved during a run: it threw, or returned something the run cannot use. Its message names
 * the plugin, its jar and what was wrong; the command reports it as a user's error (exit 2) and keeps
 * what the run had written.
 */
public final class ExtensionFailure extends RuntimeException {
    public ExtensionFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** "planner 'data-proportional' (example.jar)". */
    public static String name(Extensions.Registered registered) {
        return registered.kind().noun() + " '" + registered.type() + "' (" + registered.origin() + ")";
    }

    /** The first failure of a plugin among {@code error} and its causes, if any. */
    public static java.util.Optional<ExtensionFailure> in(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ExtensionFailure failure) {
                return java.util.Optional.of(failure);
            }
        }
        return java.util.Optional.empty();
    }
}
