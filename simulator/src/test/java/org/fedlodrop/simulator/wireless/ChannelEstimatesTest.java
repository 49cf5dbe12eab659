package org.fedlodrop.simulator.wireless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The planner's view of the channel: the truth, a noisy estimate, or the round before's gains. */
class ChannelEstimatesTest {
    private static final double[] FIRST = {1e-9, 4e-10};
    private static final double[] SECOND = {2e-9, 3e-10};
    private static final LinkTimeline[] LINKS = {LinkTimeline.constant(1), LinkTimeline.constant(1)};

    private static ChannelEstimates estimates(CsiModel model, long blockNs) {
        return new ChannelEstimates(model, 0.1, new FadingPower.Known(1), blockNs,
                new RandomGenerator[] {new SplittableRandom(1), new SplittableRandom(2)});
    }

    @Test
    void perfectCsiSeesTheTrueGains() {
        List<GainBelief> seen = estimates(CsiModel.PERFECT, 0).sound(0, FIRST, FIRST, LINKS);
        assertThat(seen.get(0).estimate()).isEqualTo(FIRST[0]);
        assertThat(seen.get(1).estimate()).isEqualTo(FIRST[1]);
    }

    @Test
    void staleCsiSeesTheRoundBeforesGainsAndTheTruthOnlyAtTheFirstSounding() {
        ChannelEstimates stale = estimates(CsiModel.STALE, 0);
        assertThat(stale.sound(0, FIRST, FIRST, LINKS).get(0).estimate()).isEqualTo(FIRST[0]);
        List<GainBelief> second = stale.sound(1_000, SECOND, SECOND, LINKS);
        assertThat(second.get(0).estimate()).isEqualTo(FIRST[0]);
        assertThat(second.get(1).estimate()).isEqualTo(FIRST[1]);
    }

    @Test
    void noisyCsiDrawsItsErrorFromEachDevicesOwnStream() {
        List<GainBelief> one = estimates(CsiModel.NOISY, 0).sound(0, FIRST, FIRST, LINKS);
        List<GainBelief> again = estimates(CsiModel.NOISY, 0).sound(0, FIRST, FIRST, LINKS);
        assertThat(one.get(0).estimate()).isNotEqualTo(FIRST[0]).isEqualTo(again.get(0).estimate());
        assertThat(one.get(1).estimate()).isNotEqualTo(FIRST[1]);
    }
}
