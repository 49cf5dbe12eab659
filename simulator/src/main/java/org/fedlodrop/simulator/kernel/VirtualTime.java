package org.fedlodrop.simulator.kernel;

/** Virtual time is a {@code long} of nanoseconds; durations come from the cost model in seconds. */
public final class VirtualTime {
    public static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Far enough for any run, and far from overflow when durations are added to it. */
    public static final long HORIZON_NS = Long.MAX_VALUE / 4;

    private VirtualTime() {
    }

    /** Seconds to nanoseconds, rounded; infinite or huge durations saturate at {@link #HORIZON_NS}. */
    public static long nanos(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("duration must be non-negative, got " + seconds);
        }
        double nanos = seconds * NANOS_PER_SECOND;
        return nanos >= HORIZON_NS ? HORIZON_NS : Math.round(nanos);
    }

    public static double seconds(long nanos) {
        return nanos / (double) NANOS_PER_SECOND;
    }

    /** {@code a + b}, saturating at {@link #HORIZON_NS}. */
    public static long plus(long a, long b) {
        long sum = a + b;
        return sum >= HORIZON_NS || sum < a ? HORIZON_NS : sum;
    }
}
