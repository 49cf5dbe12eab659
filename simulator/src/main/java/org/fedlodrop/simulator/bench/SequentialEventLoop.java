package org.fedlodrop.simulator.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.ScheduledEvent;

/**
 * The baseline of the kernel benchmark: the events of an actor run, pushed one by one through a plain
 * sequential priority-queue loop with the clock's own ordering. It starts from the run's initial
 * events, takes the earliest, dispatches it to a trivial handler and inserts what handling it scheduled
 * in the actor run, so it does the queue work of a sequential simulator on the same events and none of
 * the messaging.
 */
public final class SequentialEventLoop {

    /** Records an actor run's events, each with what it scheduled. */
    public static final class Recording implements Clock.Trace {
        private final List<ScheduledEvent> initial = new ArrayList<>();
        /** By identity: in one JVM each event is one object from its scheduling to its handling. */
        private final Map<ScheduledEvent, List<ScheduledEvent>> children = new IdentityHashMap<>();
        private int events;
        private int windows;
        /** Per window, the actors it delivered to (each actor's index in order of first delivery). */
        private final List<int[]> delivered = new ArrayList<>();
        private final Map<String, Integer> actors = new HashMap<>();

        @Override
        public void start(List<ScheduledEvent> first) {
            initial.addAll(first);
        }

        @Override
        public void window(List<Clock.Handled> handled) {
            windows++;
            // An actor handles events in a window only if the clock delivered it some, and those it scheduled for
            // itself inside the window carry its own id: the distinct targets are the window's deliveries (but for
            // an actor that put off all it was given, waiting on its cohort, which learning runs may do).
            Set<Integer> targets = new LinkedHashSet<>();
            for (Clock.Handled each : handled) {
                children.put(each.event(), each.children());
                events++;
                targets.add(actors.computeIfAbsent(each.event().target(), id -> actors.size()));
            }
            delivered.add(targets.stream().mapToInt(Integer::intValue).toArray());
        }

        /** The clock's deliveries (one per actor and window that it woke), each answered by one acknowledgement. */
        public long deliveries() {
            return delivered.stream().mapToLong(targets -> targets.length).sum();
        }

        /** Per window, the indices of the actors delivered to; indices run from 0 to {@link #actors()} - 1. */
        public List<int[]> deliveriesByWindow() {
            return List.copyOf(delivered);
        }

        /** Actors that were delivered events. */
        public int actors() {
            return actors.size();
        }

        /** Events handled in the actor run. */
        public int events() {
            return events;
        }

        /** Windows of the actor run (the clock's steps). */
        public int steps() {
            return windows;
        }

        private List<ScheduledEvent> childrenOf(ScheduledEvent event) {
            List<ScheduledEvent> scheduled = children.get(event);
            if (scheduled == null) {
                throw new IllegalStateException("sequential loop reached an event the actor run never handled: " + event);
            }
            return scheduled;
        }
    }

    private SequentialEventLoop() {
    }

    /**
     * Replays a recording; returns the number of events dispatched. Checks on the way that the loop
     * dispatches exactly the events the actor kernel handled, so the two did the same work.
     */
    public static long replay(Recording recording) {
        PriorityQueue<ScheduledEvent> queue = new PriorityQueue<>(ScheduledEvent.ORDER);
        queue.addAll(recording.initial);
        long dispatched = 0;
        long checksum = 0;
        while (!queue.isEmpty()) {
            ScheduledEvent event = queue.poll();
            checksum += dispatch(event);
            dispatched++;
            queue.addAll(recording.childrenOf(event));
        }
        if (dispatched != recording.events) {
            throw new IllegalStateException("sequential loop dispatched " + dispatched + " events, the actor kernel handled "
                    + recording.events);
        }
        if (checksum == Long.MIN_VALUE) {
            throw new IllegalStateException("unreachable; keeps the dispatch from being optimised away");
        }
        return dispatched;
    }

    /** A handler per event type, as a sequential simulator's dispatch would be. */
    private static long dispatch(ScheduledEvent event) {
        return event.target().length() + event.event().getClass().getSimpleName().length() + event.timeNs();
    }
}
