package org.fedlodrop.simulator.kernel;

import java.util.random.RandomGenerator;

/**
 * A random stream that gives exactly the draws of {@link java.util.SplittableRandom} from the same seed, and
 * whose position can be saved and restored: a checkpoint keeps it (issue 29), which the JDK's class does not
 * allow. SplitMix64 (Steele, Lea and Flood, OOPSLA 2014) as the JDK implements it: the state advances by
 * the golden gamma and each output is a mix of it; only {@code nextInt()} and {@code nextLong()} are the
 * JDK's own, every other draw comes from {@link RandomGenerator}'s defaults on top of them, in both classes.
 * Not thread-safe, like the class it stands in for.
 */
public final class ResumableStream implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;

    /** The stream {@code new SplittableRandom(seed)} gives. */
    public ResumableStream(long seed) {
        this.seed = seed;
    }

    /** Where the stream stands: pass it to {@link #ResumableStream(long)} to go on from here. */
    public long position() {
        return seed;
    }

    @Override
    public long nextLong() {
        seed += GOLDEN_GAMMA;
        long z = seed;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public int nextInt() {
        seed += GOLDEN_GAMMA;
        long z = seed;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }
}
