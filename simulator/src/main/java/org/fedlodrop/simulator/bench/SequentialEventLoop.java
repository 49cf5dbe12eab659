package org.fedlodrop.simulator.bench;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
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

        @Override
        public void start(List<ScheduledEvent> first) {
            initial.addAll(first);
        }

        @Override
        public void window(List<Clock.Handled> handled) {
            windows++;
            for (Clock.Handled each : handled) {
                children.put(each.event(), each.children());
                events++;
            }
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
