package org.fedlodrop.simulator.scenario;

/** Which cell serves a device (docs/wireless.md). */
public enum Association {
    /** The nearest base station. */
    NEAREST,
    /** The base station with the highest mean gain: path loss and shadowing, without fading. */
    STRONGEST
}
