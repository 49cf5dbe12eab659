package org.fedlodrop.simulator.kernel;

/** Ids of the simulated actors: names in the event log and keys of the clock's ordering. */
public final class ActorIds {
    public static final String BASE_STATION = "base-station";
    public static final String CHANNEL = "channel";
    public static final String PLANNER = "planner";
    /** Scheduler id of the events that exist before any actor runs. */
    public static final String SETUP = "setup";

    private ActorIds() {
    }

    /**
     * Zero-padded to seven digits so that ids sort as the indices do: {@code String.format("device-%07d", index)},
     * spelled out because a large run makes this id for every device and event (String.format was a twentieth
     * of bench kernel's time).
     */
    public static String device(int index) {
        if (index < 0) {
            return String.format("device-%07d", index);
        }
        String digits = Integer.toString(index);
        return digits.length() >= 7 ? "device-" + digits : "device-" + "0000000".substring(digits.length()) + digits;
    }
}
