package org.fedlodrop.simulator.wireless;

/**
 * fedlodrop's fading models (docs/wireless.md), registered in
 * {@code META-INF/services/org.fedlodrop.api.channel.FadingExtension} as a plugin's are.
 */
public final class BuiltInFadings {
    /** The type whose gains come whole from {@code channel.trace_file}. */
    public static final String TRACE = "trace";

    private BuiltInFadings() {
    }

    public static final class Rayleigh implements BuiltInFading {
        @Override
        public String type() {
            return "rayleigh";
        }

        @Override
        public String summary() {
            return "|h|² exponential with mean 1";
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Rayleigh();
        }
    }

    public static final class Rician implements BuiltInFading {
        @Override
        public String type() {
            return "rician";
        }

        @Override
        public String summary() {
            return "line of sight plus scatter with K-factor channel.rician_k; mean power 1";
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Rician(ricianK);
        }
    }

    public static final class Nakagami implements BuiltInFading {
        @Override
        public String type() {
            return "nakagami";
        }

        @Override
        public String summary() {
            return "|h|² Gamma(m, 1/m) with channel.nakagami_m; mean power 1";
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Nakagami(nakagamiM);
        }
    }

    public static final class None implements BuiltInFading {
        @Override
        public String type() {
            return "none";
        }

        @Override
        public String summary() {
            return "|h|² = 1";
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Flat();
        }
    }

    public static final class Trace implements BuiltInFading {
        @Override
        public String type() {
            return TRACE;
        }

        @Override
        public String summary() {
            return "the whole gain g_k of every round read from channel.trace_file";
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return null;
        }
    }
}
