package org.fedlodrop.simulator.kernel;

/**
 * A message between simulated actors. It travels only through the {@link Clock}, at a virtual
 * time, never directly: that is what makes the order of events independent of thread scheduling.
 * Each actor declares the events it accepts as records nested in its class.
 */
public interface SimEvent {
}
