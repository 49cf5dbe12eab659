package org.fedlodrop.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The written-out orders against the comparator chain they replaced, on events that tie field by field. */
class EventOrderTest {
    private static final Comparator<ScheduledEvent> CHAIN = Comparator
            .comparingLong(ScheduledEvent::timeNs)
            .thenComparingInt(ScheduledEvent::depth)
            .thenComparingInt(ScheduledEvent::phase)
            .thenComparing(ScheduledEvent::scheduler)
            .thenComparingLong(ScheduledEvent::sequence);

    @Test
    void ordersAreTheChainedComparators() {
        SplittableRandom random = new SplittableRandom(17);
        String[] schedulers = {"base-station", "channel", "device-0000001", "device-0000010", "planner", "setup"};
        ScheduledEvent[] events = new ScheduledEvent[400];
        for (int i = 0; i < events.length; i++) {
            // Few distinct values per field, so that most pairs tie on the leading fields.
            events[i] = new ScheduledEvent(random.nextInt(3) * 1_000_000_000L, random.nextInt(3), "t",
                    schedulers[random.nextInt(schedulers.length)], random.nextInt(3), null, random.nextInt(2));
        }
        int ties = 0;
        for (ScheduledEvent a : events) {
            for (ScheduledEvent b : events) {
                int expected = Integer.signum(CHAIN.compare(a, b));
                assertThat(Integer.signum(ScheduledEvent.ORDER.compare(a, b))).isEqualTo(expected);
                assertThat(Integer.signum(EventKey.ORDER.compare(a.key(), b.key()))).isEqualTo(expected);
                ties += expected == 0 ? 1 : 0;
            }
        }
        assertThat(ties).as("pairs equal in every field").isGreaterThan(events.length);
    }
}
