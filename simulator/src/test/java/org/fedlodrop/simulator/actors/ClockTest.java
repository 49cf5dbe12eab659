package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ClockTest {
    private static final ActorTestKit KIT = ActorTestKit.create();

    record Note(String name) implements SimEvent {
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static ScheduledEvent at(long time, int phase, String target, String scheduler, long sequence, String name) {
        return new ScheduledEvent(time, phase, target, scheduler, sequence, new Note(name));
    }

    @Test
    void releasesEachTimeInPhaseAndKeyOrderAndWaitsForEveryAcknowledgement() {
        TestProbe<Recorder.Command> recorder = KIT.createTestProbe();
        TestProbe<Clock.Delivery> a = KIT.createTestProbe();
        TestProbe<Clock.Delivery> b = KIT.createTestProbe();
        TestProbe<Clock.Outcome> done = KIT.createTestProbe();
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("a", "b"), recorder.getRef(), Clock.Trace.NONE));

        clock.tell(new Clock.Start(List.of(
                at(10, 2, "a", "setup", 0, "E1"),
                at(10, 1, "b", "setup", 1, "E2"),
                at(10, 1, "a", "setup", 2, "E3"),
                at(5, 3, "b", "z", 0, "E4"),
                at(20, 0, "a", "setup", 3, "E6")), done.getRef()));
        // Nothing moves before every expected actor has registered.
        clock.tell(new Clock.Register("a", a.getRef()));
        b.expectNoMessage(Duration.ofMillis(100));
        clock.tell(new Clock.Register("b", b.getRef()));

        Clock.Delivery first = b.receiveMessage();
        assertThat(first.timeNs()).isEqualTo(5);
        assertThat(first.events()).containsExactly(new Note("E4"));
        a.expectNoMessage(Duration.ofMillis(50));
        RunRecord record = EventRecord.of(5, "noted", 0, null);
        clock.tell(new Clock.Ack(first.step(), "b", List.of(at(10, 0, "a", "b", 0, "E5")), List.of(record)));
        assertThat(recorder.receiveMessage()).isEqualTo(new Recorder.Write(List.of(record)));

        Clock.Delivery toA = a.receiveMessage();
        Clock.Delivery toB = b.receiveMessage();
        assertThat(toA.timeNs()).isEqualTo(10);
        assertThat(toA.events()).containsExactly(new Note("E5"), new Note("E3"), new Note("E1"));
        assertThat(toB.events()).containsExactly(new Note("E2"));
        clock.tell(new Clock.Ack(toB.step(), "b", List.of(), List.of()));
        // The event at t = 20 waits until a has acknowledged too.
        a.expectNoMessage(Duration.ofMillis(100));
        clock.tell(new Clock.Ack(toA.step(), "a", List.of(), List.of()));

        Clock.Delivery last = a.receiveMessage();
        assertThat(last.timeNs()).isEqualTo(20);
        assertThat(last.events()).containsExactly(new Note("E6"));
        clock.tell(new Clock.Ack(last.step(), "a", List.of(), List.of()));
        assertThat(done.receiveMessage()).isEqualTo(new Clock.Finished(3, 6, 20));
        recorder.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void anEventScheduledInThePastStopsTheClock() {
        TestProbe<Recorder.Command> recorder = KIT.createTestProbe();
        TestProbe<Clock.Delivery> a = KIT.createTestProbe();
        TestProbe<Clock.Outcome> done = KIT.createTestProbe();
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("a"), recorder.getRef(), Clock.Trace.NONE));
        TestProbe<Object> watcher = KIT.createTestProbe();
        clock.tell(new Clock.Register("a", a.getRef()));
        clock.tell(new Clock.Start(List.of(at(100, 0, "a", "setup", 0, "E1")), done.getRef()));
        Clock.Delivery delivery = a.receiveMessage();
        clock.tell(new Clock.Ack(delivery.step(), "a", List.of(at(99, 0, "a", "a", 0, "late")), List.of()));
        watcher.expectTerminated(clock, Duration.ofSeconds(3));
        done.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void anActorRegisteringTwiceStopsTheClockBeforeAnyEventIsQueuedTwice() {
        TestProbe<Recorder.Command> recorder = KIT.createTestProbe();
        TestProbe<Clock.Delivery> a = KIT.createTestProbe();
        TestProbe<Clock.Delivery> again = KIT.createTestProbe();
        TestProbe<Clock.Outcome> done = KIT.createTestProbe();
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("a", "b"), recorder.getRef(), Clock.Trace.NONE));
        TestProbe<Object> watcher = KIT.createTestProbe();
        clock.tell(new Clock.Start(List.of(at(1, 0, "a", "setup", 0, "E1")), done.getRef()));
        clock.tell(new Clock.Register("a", a.getRef()));
        clock.tell(new Clock.Register("a", again.getRef()));
        watcher.expectTerminated(clock, Duration.ofSeconds(3));
        a.expectNoMessage(Duration.ofMillis(50));
        again.expectNoMessage(Duration.ofMillis(50));
        done.expectNoMessage(Duration.ofMillis(50));
    }
}
