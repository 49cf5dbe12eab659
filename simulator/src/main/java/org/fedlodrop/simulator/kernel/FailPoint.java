package org.fedlodrop.simulator.kernel;

/**
 * Named points where a test may have the process die as SIGKILL would kill it (no shutdown hook, no flush of
 * anything buffered), to check that a run resumed afterwards is the run that was never interrupted
 * (issue 29). Armed only by the system property {@code fedlodrop.failpoint=NAME:ROUND}, read once; unarmed,
 * {@link #reach} is one comparison. The points: {@code round} (as a round starts), {@code training} (while a
 * round's local training runs), {@code checkpoint-written} (a checkpoint just renamed into place),
 * {@code aggregation} (between aggregating a round and evaluating it), {@code checkpoint} (half-way through
 * writing a checkpoint).
 */
public final class FailPoint {
    private static final String ARMED = System.getProperty("fedlodrop.failpoint", "");

    private FailPoint() {
    }

    /** Dies here, with exit status 137 as after SIGKILL, when this point of this round is the armed one. */
    public static void reach(String name, int round) {
        if (!ARMED.isEmpty() && ARMED.equals(name + ":" + round)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
