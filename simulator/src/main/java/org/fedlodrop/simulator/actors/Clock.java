package org.fedlodrop.simulator.actors;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.kernel.SimEvent;

/**
 * Owns virtual time and the future-event list (docs/architecture.md, "The discrete-event kernel").
 *
 * <p>Conservative stepping: the clock takes every event of the earliest time, sends each receiving
 * actor its events in (phase, scheduler, sequence) order as one {@link Delivery}, and waits until every
 * one of them has acknowledged. The acknowledgements carry the events they schedule and the records
 * they produce; the clock files them in delivery order, hands the records to the {@link Recorder},
 * and only then moves on. Nothing depends on which actor ran first or on how many threads ran them.
 *
 * <p>Register, Delivery and Ack also cross cluster members when devices are sharded; the type ids on
 * their polymorphic lists are for that (Jackson CBOR, see {@code cluster.ClusterNode}).
 */
public final class Clock extends AbstractBehavior<Clock.Command> {

    public sealed interface Command permits Register, Start, Ack {
    }

    /** An actor announces where its deliveries go; the clock starts once all expected ids have registered. */
    public record Register(String id, ActorRef<Delivery> wake) implements Command {
    }

    public record Start(List<ScheduledEvent> initial, ActorRef<Outcome> replyTo) implements Command {
    }

    /** The one reply to each {@link Delivery}. */
    public record Ack(long step, String from, List<ScheduledEvent> scheduled,
                      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<RunRecord> records) implements Command {
    }

    /** The events of one actor at one virtual time. */
    public record Delivery(long step, long timeNs, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<SimEvent> events) {
    }

    public sealed interface Outcome permits Finished, Failed {
    }

    public record Finished(long steps, long events, long endTimeNs) implements Outcome {
    }

    public record Failed(String reason) implements Outcome {
    }

    /** Sees the clock's queue operations, step by step; for the kernel benchmark's baseline. */
    public interface Trace {
        Trace NONE = (polled, inserted) -> {
        };

        /** A step took {@code polled} events off the queue, then the acknowledgements put {@code inserted} on it. */
        void step(List<ScheduledEvent> polled, List<ScheduledEvent> inserted);
    }

    private final Set<String> expected;
    private final ActorRef<Recorder.Command> recorder;
    private final Trace trace;
    private List<ScheduledEvent> polled = List.of();
    private final Map<String, ActorRef<Delivery>> actors = new HashMap<>();
    private final PriorityQueue<ScheduledEvent> queue = new PriorityQueue<>(ScheduledEvent.ORDER);
    private Start start;
    private long step;
    private long now;
    private long delivered;
    private Map<String, Integer> slots = Map.of();
    private Ack[] acks = new Ack[0];
    private int awaiting;

    private Clock(ActorContext<Command> context, Set<String> expected, ActorRef<Recorder.Command> recorder, Trace trace) {
        super(context);
        this.expected = Set.copyOf(expected);
        this.recorder = recorder;
        this.trace = trace;
    }

    public static Behavior<Command> create(Set<String> expectedActors, ActorRef<Recorder.Command> recorder, Trace trace) {
        return Behaviors.setup(context -> new Clock(context, expectedActors, recorder, trace));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Register.class, this::onRegister)
                .onMessage(Start.class, this::onStart)
                .onMessage(Ack.class, this::onAck)
                .build();
    }

    private Behavior<Command> onRegister(Register register) {
        if (!expected.contains(register.id())) {
            throw new IllegalStateException("unexpected actor registered: " + register.id());
        }
        if (actors.containsKey(register.id())) {
            // A second registration (a restarted or rebalanced entity) would have its events queued twice.
            throw new IllegalStateException("actor registered twice: " + register.id());
        }
        actors.put(register.id(), register.wake());
        return maybeBegin();
    }

    private Behavior<Command> onStart(Start message) {
        this.start = message;
        return maybeBegin();
    }

    private Behavior<Command> maybeBegin() {
        if (start == null || actors.size() < expected.size()) {
            return this;
        }
        for (ScheduledEvent event : start.initial()) {
            enqueue(event);
        }
        trace.step(List.of(), start.initial());
        return nextStep();
    }

    private Behavior<Command> nextStep() {
        if (queue.isEmpty()) {
            start.replyTo().tell(new Finished(step, delivered, now));
            return Behaviors.stopped();
        }
        now = queue.peek().timeNs();
        Map<String, List<SimEvent>> batch = new LinkedHashMap<>();
        polled = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().timeNs() == now) {
            ScheduledEvent event = queue.poll();
            polled.add(event);
            batch.computeIfAbsent(event.target(), target -> new ArrayList<>()).add(event.event());
            delivered++;
        }
        step++;
        slots = new HashMap<>();
        acks = new Ack[batch.size()];
        awaiting = batch.size();
        int slot = 0;
        for (Map.Entry<String, List<SimEvent>> entry : batch.entrySet()) {
            slots.put(entry.getKey(), slot++);
            actors.get(entry.getKey()).tell(new Delivery(step, now, List.copyOf(entry.getValue())));
        }
        return this;
    }

    private Behavior<Command> onAck(Ack ack) {
        Integer slot = slots.get(ack.from());
        if (ack.step() != step || slot == null || acks[slot] != null) {
            throw new IllegalStateException("acknowledgement out of step from " + ack.from()
                    + " (step " + ack.step() + ", clock at " + step + ")");
        }
        acks[slot] = ack;
        if (--awaiting > 0) {
            return this;
        }
        List<RunRecord> records = new ArrayList<>();
        List<ScheduledEvent> inserted = new ArrayList<>();
        for (Ack each : acks) {
            each.scheduled().forEach(this::enqueue);
            inserted.addAll(each.scheduled());
            records.addAll(each.records());
        }
        trace.step(polled, inserted);
        if (!records.isEmpty()) {
            recorder.tell(new Recorder.Write(records));
        }
        return nextStep();
    }

    private void enqueue(ScheduledEvent event) {
        if (event.timeNs() < now) {
            throw new IllegalStateException("event scheduled in the past: " + event + " at " + now);
        }
        if (!actors.containsKey(event.target())) {
            throw new IllegalStateException("event for unknown actor " + event.target());
        }
        queue.add(event);
    }
}
