package org.fedlodrop.simulator.wireless;

import org.fedlodrop.simulator.extension.BuiltIn;

/**
 * fedlodrop's fading models (docs/wireless.md), registered in
 * {@code META-INF/services/org.fedlodrop.api.channel.FadingExtension} as a plugin's are.
 */
public final class BuiltInFadings {
    /** The type whose gains come whole from {@code channel.trace_file}. */
    public static final String TRACE = "trace";

    private BuiltInFadings() {
    }

    public static final class Rayleigh extends BuiltIn.Named implements BuiltInFading {
        public Rayleigh() {
            super("rayleigh",
                    "|h|² exponential with mean 1");
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Rayleigh();
        }
    }

    public static final class Rician extends BuiltIn.Named implements BuiltInFading {
        public Rician() {
            super("rician",
                    "line of sight plus scatter with K-factor channel.rician_k; mean power 1");
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Rician(ricianK);
        }
    }

    public static final class Nakagami extends BuiltIn.Named implements BuiltInFading {
        public Nakagami() {
            super("nakagami",
                    "|h|² Gamma(m, 1/m) with channel.nakagami_m; mean power 1");
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Nakagami(nakagamiM);
        }
    }

    public static final class None extends BuiltIn.Named implements BuiltInFading {
        public None() {
            super("none",
                    "|h|² = 1");
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return new Fading.Flat();
        }
    }

    public static final class Trace extends BuiltIn.Named implements BuiltInFading {
        public Trace() {
            super(TRACE,
                    "the whole gain g_k of every round read from channel.trace_file");
        }

        @Override
        public Fading model(double ricianK, double nakagamiM) {
            return null;
        }
    }
}
