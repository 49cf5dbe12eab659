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

/**
 * What every actor driven by the {@link Clock} shares: it registers with the clock, handles the
 * events of a delivery in order, and answers with one acknowledgement that carries the events it
 * scheduled and the records it produced.
 *
 * @param <C> the actor's own message type, which wraps {@link Clock.Delivery}
 */
abstract class SimulatedActor<C> extends AbstractBehavior<C> {
    private final String id;
    private final ActorRef<Clock.Command> clock;
    private final List<ScheduledEvent> scheduled = new ArrayList<>();
    private final List<RunRecord> records = new ArrayList<>();
    private long sequence;
    private long nowNs;
    private boolean deferred;
    private long deferredStep;

    SimulatedActor(ActorContext<C> context, String id, ActorRef<Clock.Command> clock,
                   Function<Clock.Delivery, C> wake) {
        super(context);
        this.id = id;
        this.clock = clock;
        clock.tell(new Clock.Register(id, context.messageAdapter(Clock.Delivery.class, wake::apply)));
    }

    String id() {
        return id;
    }

    /** Virtual time of the delivery being handled. */
    long nowNs() {
        return nowNs;
    }

    /** Handles one event at {@link #nowNs()}; may {@link #schedule} events and {@link #record} records. */
    abstract void handle(SimEvent event);

    Behavior<C> onDelivery(Clock.Delivery delivery) {
        nowNs = delivery.timeNs();
        for (SimEvent event : delivery.events()) {
            handle(event);
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

    void schedule(long timeNs, Phase phase, String target, SimEvent event) {
        scheduled.add(new ScheduledEvent(timeNs, phase.ordinal(), target, id, sequence++, event));
    }

    void record(RunRecord record) {
        records.add(record);
    }
}
