package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code topology.json}: base stations, devices and which cell serves each, at the start of the run
 * (for the viewer's map). Positions in metres.
 */
@JsonPropertyOrder({"cells", "devices"})
public record TopologyRecord(List<CellEntry> cells, List<DeviceEntry> devices) {
    public TopologyRecord {
        cells = List.copyOf(cells);
        devices = List.copyOf(devices);
    }

    @JsonPropertyOrder({"cell", "x_m", "y_m", "bandwidth_hz"})
    public record CellEntry(int cell, double xM, double yM, double bandwidthHz) {
    }

    /** A device where it starts, with its class in a heterogeneous fleet and D_k, its local training samples. */
    @JsonPropertyOrder({"device", "x_m", "y_m", "cell", "distance_m", "mean_gain_db", "device_class", "samples"})
    public record DeviceEntry(int device, double xM, double yM, int cell, double distanceM, double meanGainDb,
                              String deviceClass, long samples) {
    }
}
