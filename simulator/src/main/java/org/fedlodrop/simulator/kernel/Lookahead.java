package org.fedlodrop.simulator.kernel;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What an actor promises about the events it will schedule for other actors, from which the clock
 * computes how far each actor may run ahead (docs/architecture.md, "Windows"; Chandy and Misra's
 * lookahead, Fujimoto's "Parallel and Distributed Simulation Systems", ch. 3).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
public sealed interface Lookahead {
    /** Every actor's promise until it says otherwise: anything, at the very time of its cause. */
    Lookahead NONE = new Delay(0);

    /** Events for other actors fall at least {@code delayNs} after the event whose handling schedules them. */
    record Delay(long delayNs) implements Lookahead {
        public Delay {
            if (delayNs < 0) {
                throw new IllegalArgumentException("negative lookahead " + delayNs);
            }
        }
    }

    /**
     * Nothing for other actors until each of {@code awaited} has sent this actor an event, and then no
     * earlier than {@code delayNs} after the last of them (a base station collecting every report
     * before it aggregates).
     */
    record Barrier(List<String> awaited, long delayNs) implements Lookahead {
        public Barrier {
            awaited = List.copyOf(awaited);
            if (awaited.isEmpty()) {
                throw new IllegalArgumentException("a barrier awaits at least one actor");
            }
            if (delayNs < 0) {
                throw new IllegalArgumentException("negative lookahead " + delayNs);
            }
        }
    }
}
