package org.fedlodrop.simulator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.fedlodrop.simulator.actors.Clock;
import org.fedlodrop.simulator.kernel.ScheduledEvent;

/**
 * The baseline of the kernel benchmark: the events of an actor run, pushed through a plain
 * sequential priority-queue loop with the clock's own ordering. It replays the run's queue
 * operations step by step (take the step's events, dispatch each to a trivial handler, insert what
 * the step scheduled), so it does the queue work of the actor kernel and none of the messaging.
 */
public final class SequentialEventLoop {
    /** One recorded step: how many events it took, and what it inserted afterwards. */
    record Step(int polled, List<ScheduledEvent> inserted) {
    }

    /** Records an actor run's queue operations. */
    public static final class Recording implements Clock.Trace {
        private final List<Step> steps = new ArrayList<>();
        private final List<ScheduledEvent> deliveredOrder = new ArrayList<>();

        @Override
        public void step(List<ScheduledEvent> polled, List<ScheduledEvent> inserted) {
            steps.add(new Step(polled.size(), List.copyOf(inserted)));
            deliveredOrder.addAll(polled);
        }

        public int events() {
            return deliveredOrder.size();
        }

        public int steps() {
            return steps.size();
        }
    }

    private SequentialEventLoop() {
    }

    /**
     * Replays a recording; returns the number of events dispatched. Checks on the way that the
     * loop delivers the events in exactly the actor kernel's order, so the two did the same work.
     */
    public static long replay(Recording recording) {
        PriorityQueue<ScheduledEvent> queue = new PriorityQueue<>(ScheduledEvent.ORDER);
        long dispatched = 0;
        long checksum = 0;
        int position = 0;
        for (Step step : recording.steps) {
            for (int i = 0; i < step.polled(); i++) {
                ScheduledEvent event = queue.poll();
                if (event != recording.deliveredOrder.get(position++)) {
                    throw new IllegalStateException("sequential loop diverged from the actor kernel at event " + position);
                }
                checksum += dispatch(event);
                dispatched++;
            }
            queue.addAll(step.inserted());
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
