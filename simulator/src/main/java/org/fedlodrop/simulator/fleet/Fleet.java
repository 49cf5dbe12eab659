package org.fedlodrop.simulator.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices of a run as they differ: each one's class and parameters ({@link DeviceProfile}) and
 * when it is online ({@link Availability}); dealt from a scenario by
 * {@code org.fedlodrop.simulator.scenario.FleetDealing}, so that the fleet knows nothing of scenario files.
 */
public final class Fleet {

    /** The class name of every device of a fleet without classes. */
    public static final String DEFAULT_CLASS = "default";

    private final List<DeviceProfile> devices;
    private final Availability availability;
    /** Σ D_k, kept: ρ_k is asked for every device of every round (summing each time made a round O(K²)). */
    private final long totalSamples;

    public Fleet(List<DeviceProfile> devices, Availability availability) {
        this.devices = List.copyOf(devices);
        this.availability = availability;
        this.totalSamples = this.devices.stream().mapToLong(DeviceProfile::samples).sum();
    }

    public List<DeviceProfile> devices() {
        return devices;
    }

    public Availability availability() {
        return availability;
    }

    public DeviceProfile device(int k) {
        return devices.get(k);
    }

    public int size() {
        return devices.size();
    }

    public boolean online(int round, int device) {
        return availability.online(round, device);
    }

    /** D_k of every device, in device order. */
    public int[] samples() {
        return devices.stream().mapToInt(p -> Math.toIntExact(p.samples())).toArray();
    }

    /** Σ D_k. */
    public long totalSamples() {
        return totalSamples;
    }

    /** ρ_k = D_k / Σ_j D_j over all devices of the run (docs/model.md eq. 6). */
    public double dataWeight(int k) {
        return (double) devices.get(k).samples() / totalSamples();
    }

    /** The same fleet with the local data sizes a partition dealt (quantity or label skew), in device order. */
    public Fleet withSamples(int[] sizes) {
        if (sizes.length != devices.size()) {
            throw new IllegalArgumentException("expected " + devices.size() + " sizes, got " + sizes.length);
        }
        List<DeviceProfile> resized = new ArrayList<>(devices.size());
        for (int k = 0; k < sizes.length; k++) {
            resized.add(devices.get(k).withSamples(sizes[k]));
        }
        return new Fleet(resized, availability);
    }
}
