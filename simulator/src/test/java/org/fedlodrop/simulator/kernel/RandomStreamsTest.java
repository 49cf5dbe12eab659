package org.fedlodrop.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {
    @Test
    void aStreamDependsOnSeedActorAndPurposeOnly() {
        long[] first = LongStream.generate(new RandomStreams(42).stream("channel", "fading/device-0000001")::nextLong)
                .limit(5).toArray();
        long[] again = LongStream.generate(new RandomStreams(42).stream("channel", "fading/device-0000001")::nextLong)
                .limit(5).toArray();
        assertThat(again).containsExactly(first);
        assertThat(new RandomStreams(43).stream("channel", "fading/device-0000001").nextLong()).isNotEqualTo(first[0]);
        assertThat(new RandomStreams(42).stream("channel", "fading/device-0000002").nextLong()).isNotEqualTo(first[0]);
        assertThat(new RandomStreams(42).stream("base-station", "fading/device-0000001").nextLong()).isNotEqualTo(first[0]);
    }
}
