package org.fedlodrop.simulator.wireless;

import java.util.random.RandomGenerator;
import org.fedlodrop.models.random.Variates;

/** Small-scale fading: the power gain |h|² of one coherence block, with mean 1 (docs/model.md §3, eq. 9). */
public sealed interface Fading permits Fading.Rayleigh, Fading.Rician, Fading.Nakagami, Fading.Flat, Fading.Plugged {
    double powerGain(RandomGenerator random);

    /** The distribution {@link #powerGain} draws from. */
    FadingPower power();

    /** |h|² ~ Exp(1). */
    record Rayleigh() implements Fading {
        @Override
        public double powerGain(RandomGenerator random) {
            return random.nextExponential();
        }

        @Override
        public FadingPower power() {
            return new FadingPower.Circular(0, 1);
        }
    }

    /** h = √(K/(K+1)) + √(1/(K+1)) · CN(0, 1). */
    record Rician(double k) implements Fading {
        @Override
        public double powerGain(RandomGenerator random) {
            double scatter = Math.sqrt(1 / (2 * (k + 1)));
            double inPhase = Math.sqrt(k / (k + 1)) + scatter * random.nextGaussian();
            double quadrature = scatter * random.nextGaussian();
            return inPhase * inPhase + quadrature * quadrature;
        }

        @Override
        public FadingPower power() {
            return new FadingPower.Circular(k / (k + 1), 1 / (k + 1));
        }
    }

    /** |h|² ~ Gamma(shape m, scale 1/m). */
    record Nakagami(double m) implements Fading {
        @Override
        public double powerGain(RandomGenerator random) {
            return Variates.gamma(m, random) / m;
        }

        @Override
        public FadingPower power() {
            return new FadingPower.GammaPower(m);
        }
    }

    /** No fading: |h|² = 1. */
    record Flat() implements Fading {
        @Override
        public double powerGain(RandomGenerator random) {
            return 1;
        }

        @Override
        public FadingPower power() {
            return new FadingPower.Known(1);
        }
    }

    /** A plugin's model (docs/extending.md); a gain that is not a finite number ≥ 0 fails the run with its name. */
    record Plugged(String name, org.fedlodrop.api.channel.Fading model) implements Fading {
        @Override
        public double powerGain(RandomGenerator random) {
            double gain;
            try {
                gain = model.powerGain(random);
            } catch (RuntimeException | LinkageError e) {
                throw new org.fedlodrop.simulator.extension.ExtensionFailure(name + " failed: " + e, e);
            }
            if (!(gain >= 0 && Double.isFinite(gain))) {
                throw new org.fedlodrop.simulator.extension.ExtensionFailure(name + ": expected a power gain |h|² >= 0, got "
                        + gain, null);
            }
            return gain;
        }

        @Override
        public FadingPower power() {
            return new FadingPower.Undisclosed(name);
        }
    }
}
