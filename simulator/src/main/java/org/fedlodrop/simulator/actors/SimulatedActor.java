package org.fedlodrop.simulator.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.Target;

/**
 * What every actor driven by the {@link Clock} shares: it registers with the clock, handles the
 * events of a delivery in order, and answers with one acknowledgement that carries the events it
 * scheduled and the records it produced.
 *
 * <p>Each actor accepts its own sealed event type {@code E}: other actors can schedule only those
 * events for it ({@link Target}), and {@link #handle} dispatches them to the actor's methods through
 * the events themselves, so a handler missing for an event type is a compile error. The clock's
 * {@link Clock.Delivery} stays generic underneath; an event of another type arriving there anyway
 * fails the actor, and with it the run, loudly.
 *
 * @param <C> the actor's own message type, which wraps {@link Clock.Delivery}
 * @param <E> the simulated events the actor handles
 */
abstract class SimulatedActor<C, E extends SimEvent> extends AbstractBehavior<C> {
    private final String id;
    private final Class<E> events;
    private final ActorRef<Clock.Command> clock;
    private final List<ScheduledEvent> scheduled = new ArrayList<>();
    private final List<RunRecord> records = new ArrayList<>();
    private long sequence;
    private long nowNs;
    private boolean deferred;
    private long deferredStep;

    SimulatedActor(ActorContext<C> context, Target<E> self, Class<E> events, ActorRef<Clock.Command> clock,
                   Function<Clock.Delivery, C> wake) {
        super(context);
        this.id = self.id();
        this.events = events;
        this.clock = clock;
        clock.tell(new Clock.Register(id, context.messageAdapter(Clock.Delivery.class, wake::apply)));
    }

    String id() {
        return id;
    }

    /** This actor's own address, for the events it schedules for itself. */
    Target<E> self() {
        return new Target<>(id);
    }

    /** Virtual time of the delivery being handled. */
    long nowNs() {
        return nowNs;
    }

    /** Handles one event at {@link #nowNs()}; may {@link #schedule} events and {@link #record} records. */
    abstract void handle(E event);

    Behavior<C> onDelivery(Clock.Delivery delivery) {
        nowNs = delivery.timeNs();
        for (SimEvent event : delivery.events()) {
            if (!events.isInstance(event)) {
                throw new IllegalStateException(id + " handles " + events.getSimpleName() + " events, not " + event);
            }
            handle(events.cast(event));
        }
        if (deferred) {
            deferredStep = delivery.step();
            return this;
        }
        acknowledge(delivery.step());
        return this;
    }

    /**
     * Holds this delivery's acknowledgement back until {@link #releaseAck()}: the clock, and with it
     * virtual time, waits for work that runs off the actor (training on the pool).
     */
    void deferAck() {
        deferred = true;
    }

    /** Sends the held-back acknowledgement, with what was scheduled and recorded meanwhile. */
    void releaseAck() {
        deferred = false;
        acknowledge(deferredStep);
    }

    private void acknowledge(long step) {
        clock.tell(new Clock.Ack(step, id, List.copyOf(scheduled), List.copyOf(records)));
        scheduled.clear();
        records.clear();
    }

    <T extends SimEvent> void schedule(long timeNs, Phase phase, Target<T> target, T event) {
        scheduled.add(new ScheduledEvent(timeNs, phase.ordinal(), target.id(), id, sequence++, event));
    }

    void record(RunRecord record) {
        records.add(record);
    }
}
