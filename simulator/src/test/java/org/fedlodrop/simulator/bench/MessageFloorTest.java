package org.fedlodrop.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.junit.jupiter.api.Test;

/** The kernel benchmark's message floor: which actors a window woke, and a replay that sends exactly that. */
class MessageFloorTest {
    private record Tick() implements SimEvent {
    }

    private static ScheduledEvent at(long timeNs, String target) {
        return new ScheduledEvent(timeNs, 0, target, "clock", timeNs, new Tick());
    }

    private static Clock.Handled handled(ScheduledEvent event, ScheduledEvent... children) {
        return new Clock.Handled(event, List.of(children));
    }

    @Test
    void aWindowDeliversOnceToEachActorThatHandledEventsInIt() {
        SequentialEventLoop.Recording recording = new SequentialEventLoop.Recording();
        ScheduledEvent own = at(5, "device-1");
        recording.start(List.of(at(1, "device-1"), at(1, "device-2")));
        // device-1 handles two events in the first window, the second one it scheduled for itself in it.
        recording.window(List.of(handled(at(1, "device-1"), own), handled(own), handled(at(1, "device-2"))));
        recording.window(List.of(handled(at(9, "base-station")), handled(at(9, "device-2"))));
        recording.window(List.of());

        assertThat(recording.events()).isEqualTo(5);
        assertThat(recording.steps()).isEqualTo(3);
        assertThat(recording.deliveries()).isEqualTo(4);
        assertThat(recording.actors()).isEqualTo(3);
        List<int[]> windows = recording.deliveriesByWindow();
        assertThat(windows).hasSize(3);
        assertThat(windows.get(0)).containsExactly(0, 1);
        assertThat(windows.get(1)).containsExactly(2, 1);
        assertThat(windows.get(2)).isEmpty();
    }

    @Test
    void theReplaySendsOneMessagePerDeliveryAndWaitsForEveryAnswer() throws InterruptedException {
        List<int[]> windows = List.of(new int[] {0, 1, 2}, new int[] {}, new int[] {2}, new int[] {1, 0});
        MessageFloor.Replay replay = MessageFloor.replay(windows, 3, 2);
        assertThat(replay.answers()).isEqualTo(6);
        assertThat(replay.seconds()).isPositive();
        assertThat(MessageFloor.replay(List.of(), 0, 1).answers()).isZero();
    }
}
