package org.fedlodrop.simulator.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.kernel.EventKey;
import org.fedlodrop.simulator.kernel.Lookahead;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.Target;

/**
 * What every actor driven by the {@link Clock} shares: it registers with the clock, handles the
 * events of a window in order (those it schedules for itself inside the window as well), and answers
 * with one acknowledgement that carries the events it scheduled for others and the records it produced.
 *
 * <p>Each actor accepts its own sealed event type {@code E}: other actors can schedule only those
 * events for it ({@link Target}), and {@link #handle} dispatches them to the actor's methods through
 * the events themselves, so a handler missing for an event type is a compile error. The clock's
 * {@link Clock.Delivery} stays generic underneath; an event of another type arriving there anyway
 * fails the actor, and with it the run, loudly. So does an event that comes after one it was delivered
 * later than: an actor never goes back in virtual time.
 *
 * @param <C> the actor's own message type, which wraps {@link Clock.Delivery}
 * @param <E> the simulated events the actor handles
 */
public abstract class SimulatedActor<C, E extends SimEvent> extends AbstractBehavior<C> {
    private final String id;
    private final Class<E> events;
    private final ActorRef<Clock.Command> clock;
    private final List<ScheduledEvent> scheduled = new ArrayList<>();
    private final List<RunRecord> records = new ArrayList<>();
    private final List<EventKey> recordKeys = new ArrayList<>();
    private final List<Clock.Handled> handledTrace = new ArrayList<>();
    private final PriorityQueue<ScheduledEvent> window = new PriorityQueue<>(ScheduledEvent.ORDER);
    private Clock.Window bounds;
    private long step;
    private long sequence;
    private long nowNs;
    private int depth;
    private ScheduledEvent last;
    /** The first event handled at the current time and depth: the key of every record made there. */
    private EventKey block;
    private List<ScheduledEvent> children;
    private long handled;
    private boolean suspended;
    private Lookahead promised = Lookahead.NONE;

    protected SimulatedActor(ActorContext<C> context, Target<E> self, Class<E> events, ActorRef<Clock.Command> clock,
                   Function<Clock.Delivery, C> wake, Clock.Reach reach) {
        super(context);
        this.id = self.id();
        this.events = events;
        this.clock = clock;
        clock.tell(new Clock.Register(id, context.messageAdapter(Clock.Delivery.class, wake::apply), reach));
    }

    protected String id() {
        return id;
    }

    /** This actor's own address, for the events it schedules for itself. */
    protected Target<E> self() {
        return new Target<>(id);
    }

    /** Virtual time of the event being handled. */
    protected long nowNs() {
        return nowNs;
    }

    /** Handles one event at {@link #nowNs()}; may {@link #schedule} events and {@link #record} records. */
    protected abstract void handle(E event);

    /**
     * Whether {@code event}, next in order at {@code timeNs}, may be handled in this window. An actor that
     * reads state shared with others says no until the clock says that state is complete up to then
     * ({@link #cohortHorizonNs()}); the event and everything after it then wait for a later window.
     */
    protected boolean mayHandle(E event, long timeNs) {
        return true;
    }

    /** Up to when the cohorts' shared state is complete, in this window. */
    protected long cohortHorizonNs() {
        return bounds.cohortHorizonNs();
    }

    /**
     * What this actor promises about its events for others, as of now; asked at each acknowledgement, and
     * passed on to the clock when it differs from the last one. A {@link Lookahead.Barrier} is stated once: the
     * clock counts it down as the awaited events come in.
     */
    protected Lookahead lookahead() {
        return Lookahead.NONE;
    }

    protected Behavior<C> onDelivery(Clock.Delivery delivery) {
        step = delivery.step();
        bounds = delivery.window();
        for (ScheduledEvent event : delivery.scheduled()) {
            if (!id.equals(event.target())) {
                throw new IllegalStateException(id + " was delivered an event for " + event.target());
            }
            window.add(event);
        }
        return proceed();
    }

    /**
     * Holds the window's acknowledgement back, and its remaining events, until {@link #resume()}: the
     * clock, and with it virtual time, waits for work that runs off the actor (training on the pool).
     */
    protected void suspend() {
        suspended = true;
    }

    /** Goes on with the window where {@link #suspend()} left it. */
    protected Behavior<C> resume() {
        suspended = false;
        return proceed();
    }

    private Behavior<C> proceed() {
        while (!suspended && !window.isEmpty()) {
            ScheduledEvent next = window.peek();
            if (!events.isInstance(next.event())) {
                throw new IllegalStateException(id + " handles " + events.getSimpleName() + " events, not " + next.event());
            }
            E event = events.cast(next.event());
            if (!mayHandle(event, next.timeNs())) {
                break;
            }
            window.poll();
            if (last != null && ScheduledEvent.ORDER.compare(next, last) <= 0) {
                throw new IllegalStateException(String.format("%s was given %s at %d ns (depth %d) after it had handled "
                                + "%s at %d ns (depth %d)", id, event.getClass().getSimpleName(), next.timeNs(),
                        next.depth(), last.event().getClass().getSimpleName(), last.timeNs(), last.depth()));
            }
            if (last == null || last.timeNs() != next.timeNs() || last.depth() != next.depth()) {
                block = next.key();
            }
            last = next;
            nowNs = next.timeNs();
            depth = next.depth();
            children = bounds.traced() ? new ArrayList<>() : null;
            handle(event);
            handled++;
            if (children != null) {
                handledTrace.add(new Clock.Handled(next, List.copyOf(children)));
            }
        }
        if (!suspended) {
            acknowledge();
        }
        return this;
    }

    private void acknowledge() {
        // What the window did not admit goes back to the clock for a later one.
        scheduled.addAll(window);
        window.clear();
        Lookahead now = lookahead();
        // A barrier is new whenever stated anew (the clock counts each down from its start), even if equal.
        boolean same = now == promised || (now instanceof Lookahead.Delay && now.equals(promised));
        Lookahead changed = same ? null : now;
        promised = now;
        clock.tell(new Clock.Ack(step, id, List.copyOf(scheduled), List.copyOf(records), List.copyOf(recordKeys),
                handled, nowNs, changed, List.copyOf(handledTrace)));
        scheduled.clear();
        records.clear();
        recordKeys.clear();
        handledTrace.clear();
        handled = 0;
    }

    protected <T extends SimEvent> void schedule(long timeNs, Phase phase, Target<T> target, T event) {
        if (timeNs < nowNs) {
            throw new IllegalStateException(id + " scheduled " + event.getClass().getSimpleName() + " for "
                    + target.id() + " at " + timeNs + " ns, in the past of " + nowNs + " ns");
        }
        // An event at the very time of its cause is handled a depth later, as a stepping kernel would.
        ScheduledEvent next = new ScheduledEvent(timeNs, phase.ordinal(), target.id(), id, sequence++, event,
                timeNs == nowNs ? depth + 1 : 0);
        if (children != null) {
            children.add(next);
        }
        if (target.id().equals(id) && bounds.admits(next)) {
            window.add(next);
        } else {
            scheduled.add(next);
        }
    }

    protected void record(RunRecord record) {
        records.add(record);
        recordKeys.add(block);
    }
}
