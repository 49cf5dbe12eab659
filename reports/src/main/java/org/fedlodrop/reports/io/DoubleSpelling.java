package org.fedlodrop.reports.io;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * How run files spell a double: the shortest decimal that reads back as the same double (the closest one
 * where several are as short), laid out as {@link Double#toString(double)} lays it out ({@code 0.3},
 * {@code 2.0E9}). This is Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to render
 * doubles", 2020), which Jackson carries as its fast double writer and which became {@code Double.toString}
 * itself in JDK 19. JDK 17's {@code Double.toString} gives more digits than needed for some values
 * (JDK-4511638) and takes a slow path through big integers for others (whole numbers such as 2.0E9, which
 * every cost row repeats, were a tenth of {@code bench kernel}'s time); with this spelling a run's files are
 * the same bytes on JDK 17 and on later JDKs, and writing them is faster.
 */
public final class DoubleSpelling {
    private DoubleSpelling() {
    }

    /** The spelling of a finite or non-finite value ({@code NaN}, {@code Infinity} as Double.toString). */
    public static String of(double value) {
        return NumberOutput.toString(value, true);
    }
}
