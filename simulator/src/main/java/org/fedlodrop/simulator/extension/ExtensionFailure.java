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

    /**
     * What a plugin's {@code build} returns, or a failure naming the plugin when it throws or returns null.
     *
     * @param what what it builds, e.g. "planner"
     */
    public static <T> T built(Extensions.Registered registered, String what, java.util.function.Supplier<T> build) {
        T built;
        try {
            built = build.get();
        } catch (RuntimeException | LinkageError e) {
            throw new ExtensionFailure(name(registered) + " failed to build: " + e, e);
        }
        if (built == null) {
            throw new ExtensionFailure(name(registered) + " built no " + what + " (build returned null)", null);
        }
        return built;
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
