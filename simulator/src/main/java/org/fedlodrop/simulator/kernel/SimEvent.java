package org.fedlodrop.simulator.kernel;

/**
 * A message between simulated actors. It travels only through the {@link Clock}, at a virtual
 * time, never directly: that is what makes the order of events independent of thread scheduling.
 * Each actor declares the events it accepts as records nested in its class.
 */
public interface SimEvent {
    /**
     * Whether handling this event may add to state that coupled actors share (a device's training
     * queued for a cohort). The clock holds a coupled actor's reads of that state back until no such
     * event remains before them (docs/architecture.md, "Windows"). Such events always come from
     * another actor, never from the coupled actor itself.
     */
    default boolean feedsCohorts() {
        return false;
    }
}
