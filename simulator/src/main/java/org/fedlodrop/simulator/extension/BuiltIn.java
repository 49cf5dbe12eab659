package org.fedlodrop.simulator.extension;

import org.fedlodrop.api.Extension;

/**
 * An extension of fedlodrop's own: named and described like a plugin's, with no settings block yet (its
 * fields are still its scenario section's: docs/extending.md, "What is not pluggable yet").
 */
public interface BuiltIn extends Extension<NoSettings> {
    @Override
    default Class<NoSettings> settingsType() {
        return NoSettings.class;
    }

    @Override
    default NoSettings defaultSettings() {
        return new NoSettings();
    }

    /** The type and summary of a built-in, given once in its constructor. */
    abstract class Named {
        private final String type;
        private final String summary;

        protected Named(String type, String summary) {
            this.type = type;
            this.summary = summary;
        }

        public String type() {
            return type;
        }

        public String summary() {
            return summary;
        }
    }
}
