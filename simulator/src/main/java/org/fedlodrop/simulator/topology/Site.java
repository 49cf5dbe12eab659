package org.fedlodrop.simulator.topology;

/** A vertex of the network graph: a base station or a device, at a place in metres. */
public sealed interface Site permits Site.BaseStationSite, Site.DeviceSite {
    double xM();

    double yM();

    default double distanceTo(Site other) {
        return Math.hypot(xM() - other.xM(), yM() - other.yM());
    }

    record BaseStationSite(int cell, double xM, double yM) implements Site {
    }

    record DeviceSite(int device, double xM, double yM) implements Site {
    }
}
