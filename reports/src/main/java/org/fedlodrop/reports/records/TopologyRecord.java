package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code topology.json}: base stations, devices and which cell serves each, at the start of the run
 * (for the viewer's map). Positions in metres.
 */
@JsonPropertyOrder({"cells", "devices", "backhaul"})
public record TopologyRecord(List<CellEntry> cells, List<DeviceEntry> devices,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BackhaulLinkEntry> backhaul) {
    public TopologyRecord {
        cells = List.copyOf(cells);
        devices = List.copyOf(devices);
        backhaul = backhaul == null ? List.of() : List.copyOf(backhaul);
    }

    public TopologyRecord(List<CellEntry> cells, List<DeviceEntry> devices) {
        this(cells, devices, List.of());
    }

    /**
     * A backhaul link (docs/hierarchy.md) and where the map draws its ends: a cell's node at its base station, the
     * cloud above the cells, a router above the cells it routes.
     */
    @JsonPropertyOrder({"from", "to", "from_x_m", "from_y_m", "to_x_m", "to_y_m", "latency_s", "capacity_bps"})
    public record BackhaulLinkEntry(String from, String to, @JsonProperty("from_x_m") double fromXM,
                                    @JsonProperty("from_y_m") double fromYM, @JsonProperty("to_x_m") double toXM,
                                    @JsonProperty("to_y_m") double toYM, double latencyS, double capacityBps) {
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
