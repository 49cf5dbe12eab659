package org.fedlodrop.models.net;

/**
 * Bounds ND4J's native memory. ND4J's buffers live outside the Java heap and are freed only when the
 * garbage collector finds their small Java wrappers unreachable; a large heap fills slowly, so the
 * collector seldom runs while native memory piles up (measured: a text-classification study of two
 * parallel runs grew to 23 GB resident and thrashed a 24 GB machine). JavaCPP, under ND4J, collects
 * when its limits are reached: 2 GiB of tracked buffers, or a resident size of the heap's maximum
 * plus 2 GiB (measured on the same study: 8.2 GB at most, at the same speed). A limit the user set
 * with {@code -Dorg.bytedeco.javacpp.maxbytes} or {@code ...maxphysicalbytes} is kept.
 */
public final class NativeMemory {
    static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final long GIB = 1L << 30;

    private NativeMemory() {
    }

    /** Call before the first ND4J class loads: JavaCPP reads these once. */
    public static void bound() {
        if (System.getProperty(MAX_BYTES) == null) {
            System.setProperty(MAX_BYTES, Long.toString(2 * GIB));
        }
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, Long.toString(Runtime.getRuntime().maxMemory() + 2 * GIB));
        }
    }
}
