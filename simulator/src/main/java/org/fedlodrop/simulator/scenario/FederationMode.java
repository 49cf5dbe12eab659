package org.fedlodrop.simulator.scenario;

/** How the server combines the devices' work: in rounds, or buffered as it arrives (docs/buffered.md). */
public enum FederationMode {
    /** Rounds: every device planned at once, the server waits for all by the deadline (docs/model.md §4). */
    SYNCHRONOUS,
    /** FedBuff: devices train continuously, the server steps every {@code buffer_size} updates. */
    BUFFERED
}
