package org.fedlodrop.reports.io;

import com.fasterxml.jackson.core.io.SerializedString;

/**
 * {@link DoubleSpelling} remembered for the values a file repeats: a device's CPU frequency, bandwidth and
 * payload every round, a plan's γ for every device. Spelling a double takes some 40 ns even with Schubfach,
 * and a large cost-only run writes millions of them (a fifth of bench kernel's time without this cache).
 * The cache returns the very string {@code DoubleSpelling} gives, so the bytes written do not change; a
 * miss costs one conversion.
 *
 * <p>Direct-mapped on the value's bits; one per file, written by one thread: not thread-safe. Public for
 * {@code bench kernel}, which prices the spelling of a run's numbers with the files' own cache.
 */
public final class DoubleSpellings {
    private static final int SLOT_BITS = 12;

    private final long[] bits = new long[1 << SLOT_BITS];
    /** Kept as SerializedString, which remembers its UTF-8 bytes too, for a JSON generator to copy. */
    private final SerializedString[] spellings = new SerializedString[1 << SLOT_BITS];

    /** The spelling of a finite double, as the run files write it. */
    public String of(double value) {
        return spelled(value).getValue();
    }

    /** The spelling with its UTF-8 bytes, which a JSON generator writes without encoding them again. */
    SerializedString spelled(double value) {
        long key = Double.doubleToRawLongBits(value);
        // Fibonacci hashing: values that differ only in low mantissa bits, or only in the exponent, spread out.
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
        SerializedString known = spellings[slot];
        if (known != null && bits[slot] == key) {
            return known;
        }
        SerializedString spelled = new SerializedString(DoubleSpelling.of(value));
        bits[slot] = key;
        spellings[slot] = spelled;
        return spelled;
    }
}
