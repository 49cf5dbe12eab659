package org.fedlodrop.simulator.kernel;

/**
 * The address of a simulated actor, typed by the events it accepts: scheduling an event for an actor
 * that has no handler for it does not compile.
 *
 * @param id     the actor's id (ActorIds)
 * @param <E>    the actor's own sealed event type
 */
public record Target<E extends SimEvent>(String id) {
}
