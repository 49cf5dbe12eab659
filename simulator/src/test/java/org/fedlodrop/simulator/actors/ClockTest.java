package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.kernel.Lookahead;
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
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("a", "b"), sink(recorder), Clock.Trace.NONE));

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
        RunRecord record = EventRecord.of(5, EventType.ROUND_START, 0, null);
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
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("a"), sink(recorder), Clock.Trace.NONE));
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
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("a", "b"), sink(recorder), Clock.Trace.NONE));
        TestProbe<Object> watcher = KIT.createTestProbe();
        clock.tell(new Clock.Start(List.of(at(1, 0, "a", "setup", 0, "E1")), done.getRef()));
        clock.tell(new Clock.Register("a", a.getRef()));
        clock.tell(new Clock.Register("a", again.getRef()));
        watcher.expectTerminated(clock, Duration.ofSeconds(3));
        a.expectNoMessage(Duration.ofMillis(50));
        again.expectNoMessage(Duration.ofMillis(50));
        done.expectNoMessage(Duration.ofMillis(50));
    }

    /** Spawns a clock under a parent that reports why it failed, if it does. */
    private static ActorRef<Clock.Command> clockReportingFailure(Set<String> ids, TestProbe<Recorder.Command> recorder,
                                                                 TestProbe<String> failures) {
        TestProbe<ActorRef<Clock.Command>> spawned = KIT.createTestProbe();
        KIT.spawn(Behaviors.setup(context -> {
            ActorRef<Clock.Command> clock = context.spawn(Clock.create(ids, sink(recorder), Clock.Trace.NONE), "clock");
            context.watch(clock);
            spawned.getRef().tell(clock);
            return Behaviors.receive(Object.class)
                    .onSignal(ChildFailed.class, failed -> {
                        failures.getRef().tell(failed.getCause().getMessage());
                        return Behaviors.same();
                    })
                    .build();
        }));
        return spawned.receiveMessage();
    }

    @Test
    void behindABarrierTheAwaitedActorsRunAheadTogetherAndTheReportsComeInOneWindow() {
        TestProbe<Recorder.Command> recorder = KIT.createTestProbe();
        TestProbe<Clock.Delivery> bs = KIT.createTestProbe();
        TestProbe<Clock.Delivery> d1 = KIT.createTestProbe();
        TestProbe<Clock.Delivery> d2 = KIT.createTestProbe();
        TestProbe<Clock.Outcome> done = KIT.createTestProbe();
        ActorRef<Clock.Command> clock = KIT.spawn(Clock.create(Set.of("bs", "d1", "d2"), sink(recorder), Clock.Trace.NONE));
        clock.tell(new Clock.Register("bs", bs.getRef()));
        clock.tell(new Clock.Register("d1", d1.getRef(), Clock.Reach.to("bs")));
        clock.tell(new Clock.Register("d2", d2.getRef(), Clock.Reach.to("bs")));
        clock.tell(new Clock.Start(List.of(at(0, 0, "bs", "setup", 0, "go")), done.getRef()));

        Clock.Delivery go = bs.receiveMessage();
        // The base station sends both devices their work and awaits a report from each, 5 ns of aggregation after.
        clock.tell(new Clock.Ack(go.step(), "bs", List.of(at(10, 0, "d1", "bs", 0, "work"), at(20, 0, "d2", "bs", 1, "work")),
                List.of(), null, 1, 0, new Lookahead.Barrier(List.of("d1", "d2"), 5), List.of()));

        // Neither device can hear from the base station before the later report plus 5 ns: both run in one window.
        Clock.Delivery work1 = d1.receiveMessage();
        Clock.Delivery work2 = d2.receiveMessage();
        assertThat(work2.step()).isEqualTo(work1.step());
        assertThat(work1.window().boundNs()).isEqualTo(25);
        assertThat(work2.window().boundNs()).isEqualTo(25);
        // The base station may not run ahead of the earlier device.
        bs.expectNoMessage(Duration.ofMillis(50));
        clock.tell(new Clock.Ack(work1.step(), "d1", List.of(at(12, 0, "bs", "d1", 0, "report")), List.of()));
        clock.tell(new Clock.Ack(work2.step(), "d2", List.of(at(22, 0, "bs", "d2", 0, "report")), List.of()));

        Clock.Delivery reports = bs.receiveMessage();
        assertThat(reports.events()).containsExactly(new Note("report"), new Note("report"));
        assertThat(reports.scheduled()).extracting(ScheduledEvent::timeNs).containsExactly(12L, 22L);
        clock.tell(new Clock.Ack(reports.step(), "bs", List.of(), List.of(), null, 2, 22, Lookahead.NONE, List.of()));
        assertThat(done.receiveMessage()).isEqualTo(new Clock.Finished(3, 5, 22));
    }

    @Test
    void anEventScheduledIntoAnOpenWindowStopsTheRunNamingBothActorsAndTheTimes() {
        TestProbe<Recorder.Command> recorder = KIT.createTestProbe();
        TestProbe<Clock.Delivery> a = KIT.createTestProbe();
        TestProbe<Clock.Delivery> b = KIT.createTestProbe();
        TestProbe<Clock.Outcome> done = KIT.createTestProbe();
        TestProbe<String> failures = KIT.createTestProbe();
        ActorRef<Clock.Command> clock = clockReportingFailure(Set.of("a", "b"), recorder, failures);
        clock.tell(new Clock.Register("a", a.getRef()));
        clock.tell(new Clock.Register("b", b.getRef()));
        clock.tell(new Clock.Start(List.of(at(0, 0, "a", "setup", 0, "E1"), at(100, 0, "b", "setup", 1, "E2")),
                done.getRef()));
        Clock.Delivery first = a.receiveMessage();
        // a promises 50 ns of lookahead, and has an event of its own at 10 ns.
        clock.tell(new Clock.Ack(first.step(), "a", List.of(at(10, 0, "a", "a", 0, "E3")), List.of(), null, 1, 0,
                new Lookahead.Delay(50), List.of()));
        // b may now run up to 60 ns and a up to 60 ns too (b's earliest event, or what a's sends could cause).
        Clock.Delivery second = a.receiveMessage();
        assertThat(second.window().boundNs()).isEqualTo(60);
        b.expectNoMessage(Duration.ofMillis(50));
        // a breaks its promise: an event for b at 30 ns, inside b's window.
        clock.tell(new Clock.Ack(second.step(), "a", List.of(at(30, 0, "b", "a", 1, "late")), List.of()));
        assertThat(failures.receiveMessage()).contains("a scheduled Note for b at 30 ns, inside b's open window (up to 60 ns")
                .contains("a's lookahead promise was broken");
        done.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void anEventForAnActorOutsideTheDeclaredReachStopsTheRun() {
        TestProbe<Recorder.Command> recorder = KIT.createTestProbe();
        TestProbe<Clock.Delivery> a = KIT.createTestProbe();
        TestProbe<Clock.Delivery> b = KIT.createTestProbe();
        TestProbe<Clock.Outcome> done = KIT.createTestProbe();
        TestProbe<String> failures = KIT.createTestProbe();
        ActorRef<Clock.Command> clock = clockReportingFailure(Set.of("a", "b", "c"), recorder, failures);
        clock.tell(new Clock.Register("a", a.getRef(), Clock.Reach.to("c")));
        clock.tell(new Clock.Register("b", b.getRef()));
        clock.tell(new Clock.Register("c", KIT.<Clock.Delivery>createTestProbe().getRef()));
        clock.tell(new Clock.Start(List.of(at(0, 0, "a", "setup", 0, "E1")), done.getRef()));
        Clock.Delivery first = a.receiveMessage();
        clock.tell(new Clock.Ack(first.step(), "a", List.of(at(500, 0, "b", "a", 0, "stray")), List.of()));
        assertThat(failures.receiveMessage()).contains("a scheduled Note for b, but registered as scheduling events only for [c]");
    }

    /** The clock's records as the run's recorder receives them. */
    private static org.fedlodrop.simulator.kernel.RecordSink sink(TestProbe<Recorder.Command> recorder) {
        return records -> recorder.getRef().tell(new Recorder.Write(records));
    }
}
