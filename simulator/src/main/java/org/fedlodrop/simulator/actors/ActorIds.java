package org.fedlodrop.simulator.actors;

/** Ids of the simulated actors: names in the event log and keys of the clock's ordering. */
public final class ActorIds {
    public static final String BASE_STATION = "base-station";
    public static final String CHANNEL = "channel";
    public static final String PLANNER = "planner";
    /** Scheduler id of the events that exist before any actor runs. */
    public static final String SETUP = "setup";

    private ActorIds() {
    }

    /** Zero-padded so that ids sort as the indices do. */
    public static String device(int index) {
        return String.format("device-%07d", index);
    }
}
