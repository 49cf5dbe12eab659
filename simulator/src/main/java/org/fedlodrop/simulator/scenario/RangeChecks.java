package org.fedlodrop.simulator.scenario;

import java.util.ArrayList;
import java.util.List;

/** Collects the range problems of a bound scenario, all of them, by field path. */
final class RangeChecks {
    /** A field path and what is wrong with it; the loader adds where it stands in the file. */
    record Violation(String path, String message) {
    }

    private final List<Violation> violations = new ArrayList<>();

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    void fail(String path, String message) {
        violations.add(new Violation(path, message));
    }

    void between(String path, double value, double min, double max) {
        if (!Double.isFinite(value) || value < min || value > max) {
            fail(path, "expected a number from " + num(min) + " to " + num(max) + ", got " + num(value));
        }
    }

    void positive(String path, double value, double max) {
        if (!Double.isFinite(value) || value <= 0 || value > max) {
            fail(path, "expected a number greater than 0 and at most " + num(max) + ", got " + num(value));
        }
    }

    void between(String path, long value, long min, long max) {
        if (value < min || value > max) {
            fail(path, "expected an integer from " + min + " to " + max + ", got " + value);
        }
    }

    static String num(double value) {
        return org.fedlodrop.api.SettingChecks.number(value);
    }
}
