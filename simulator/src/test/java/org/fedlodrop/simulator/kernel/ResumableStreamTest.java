package org.fedlodrop.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.function.Function;
import org.fedlodrop.models.random.Variates;
import org.junit.jupiter.api.Test;

/** The resumable stream draws what the JDK's SplittableRandom draws, and goes on from a saved position. */
class ResumableStreamTest {
    private static final int DRAWS = 20_000;

    /** Every kind of draw local training and mask cutting make, compared draw by draw with the JDK's class. */
    @Test
    void drawsWhatSplittableRandomDrawsForEveryKindOfDraw() {
        for (long seed : new long[] {0, 1, -7, 0x9e3779b97f4a7c15L, Long.MIN_VALUE, 123456789012345L}) {
            sameDraws(seed, RandomGenerator::nextLong);
            sameDraws(seed, RandomGenerator::nextInt);
            sameDraws(seed, r -> r.nextInt(7));
            sameDraws(seed, r -> r.nextInt(1 << 30 | 1)); // rejection sampling: a varying number of draws
            sameDraws(seed, r -> r.nextInt(-5, 1_000_003));
            sameDraws(seed, r -> r.nextLong(1_000_000_000_007L));
            sameDraws(seed, RandomGenerator::nextDouble);
            sameDraws(seed, r -> r.nextDouble(2.5));
            sameDraws(seed, RandomGenerator::nextFloat);
            sameDraws(seed, RandomGenerator::nextBoolean);
            sameDraws(seed, RandomGenerator::nextGaussian); // ziggurat: a varying number of draws
            sameDraws(seed, RandomGenerator::nextExponential);
            sameDraws(seed, r -> Variates.gamma(0.4, r));
            sameDraws(seed, r -> java.util.Arrays.toString(Variates.permutation(13, r)));
        }
    }

    @Test
    void aStreamRestartedFromItsPositionGoesOnExactlyAsIfItHadNotStopped() {
        ResumableStream whole = new ResumableStream(42);
        ResumableStream first = new ResumableStream(42);
        for (int i = 0; i < 1000; i++) {
            assertThat(first.nextGaussian()).isEqualTo(whole.nextGaussian());
        }
        ResumableStream resumed = new ResumableStream(first.position());
        for (int i = 0; i < 1000; i++) {
            assertThat(resumed.nextInt(1000)).isEqualTo(whole.nextInt(1000));
        }
    }

    @Test
    void randomStreamsGiveTheSameDrawsEitherWay() {
        RandomStreams streams = new RandomStreams(9);
        SplittableRandom jdk = streams.stream("device-3", "training");
        ResumableStream ours = streams.resumable("device-3", "training");
        for (int i = 0; i < DRAWS; i++) {
            assertThat(ours.nextLong()).isEqualTo(jdk.nextLong());
        }
        assertThat(streams.resumable("device-3", "training").nextLong())
                .isNotEqualTo(streams.resumable("device-4", "training").nextLong());
    }

    private static void sameDraws(long seed, Function<RandomGenerator, Object> draw) {
        SplittableRandom jdk = new SplittableRandom(seed);
        ResumableStream ours = new ResumableStream(seed);
        for (int i = 0; i < DRAWS; i++) {
            assertThat(draw.apply(ours)).as("draw %d from seed %d", i, seed).isEqualTo(draw.apply(jdk));
        }
    }
}
