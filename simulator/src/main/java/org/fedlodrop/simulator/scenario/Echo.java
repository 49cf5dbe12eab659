package org.fedlodrop.simulator.scenario;

/**
 * A user's text quoted back in a message: control characters escaped and long text cut, so that
 * every problem stays on one line that names its place.
 */
final class Echo {
    private Echo() {
    }

    static String quoted(String text) {
        return org.fedlodrop.api.SettingChecks.quoted(text);
    }
}
