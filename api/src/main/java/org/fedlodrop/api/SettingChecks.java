package org.fedlodrop.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Range checks for {@link Extension#check}, worded as fedlodrop words its own fields' ("expected an integer
 * from 1 to 64, got 0"), so that a plugin's problems read like the scenario's.
 */
public final class SettingChecks {
    private final List<SettingProblem> problems = new ArrayList<>();

    /** The problems found so far. */
    public List<SettingProblem> problems() {
        return List.copyOf(problems);
    }

    public SettingChecks fail(String field, String message) {
        problems.add(new SettingProblem(field, message));
        return this;
    }

    /** An integer from {@code min} to {@code max}. */
    public SettingChecks between(String field, long value, long min, long max) {
        if (value < min || value > max) {
            fail(field, "expected an integer from " + min + " to " + max + ", got " + value);
        }
        return this;
    }

    /** A finite number from {@code min} to {@code max}. */
    public SettingChecks between(String field, double value, double min, double max) {
        if (!Double.isFinite(value) || value < min || value > max) {
            fail(field, "expected a number from " + number(min) + " to " + number(max) + ", got " + number(value));
        }
        return this;
    }

    /** A number greater than 0 and at most {@code max}. */
    public SettingChecks positive(String field, double value, double max) {
        if (!Double.isFinite(value) || value <= 0 || value > max) {
            fail(field, "expected a number greater than 0 and at most " + number(max) + ", got " + number(value));
        }
        return this;
    }

    /** A number as the messages write it: whole numbers without a fraction. */
    public static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /**
     * A user's text quoted back in a message: control characters escaped and long text cut, so that every
     * problem stays on one line.
     */
    public static String quoted(String text) {
        int limit = 60;
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < limit; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> shown.append("\\n");
                case '\r' -> shown.append("\\r");
                case '\t' -> shown.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        shown.append(String.format("\\u%04x", (int) c));
                    } else {
                        shown.append(c);
                    }
                }
            }
        }
        return shown.append(text.length() > limit ? "...'" : "'").toString();
    }
}
