package org.fedlodrop.simulator.scenario;

/**
 * A user's text quoted back in a message: control characters escaped and long text cut, so that
 * every problem stays on one line that names its place.
 */
final class Echo {
    private static final int LIMIT = 60;

    private Echo() {
    }

    static String quoted(String text) {
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < LIMIT; i++) {
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
        return shown.append(text.length() > LIMIT ? "...'" : "'").toString();
    }
}
