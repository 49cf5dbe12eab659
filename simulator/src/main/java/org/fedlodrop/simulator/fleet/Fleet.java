package org.fedlodrop.simulator.fleet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.random.Variates;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.DeviceTrace;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.wireless.Decibels;

/**
 * The devices of a run as they differ: each one's class and parameters ({@link DeviceProfile}) and
 * when it is online ({@link Availability}). Without {@code devices.classes} every device is alike,
 * of class {@code default}. With classes, the counts ({@link Scenario.Devices#classCounts()}) are dealt
 * to devices in a random order drawn from the seed, so that a class is not tied to device numbers or
 * places.
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

    public static Fleet of(Scenario scenario, RandomStreams streams) {
        return of(scenario, streams, Optional.empty());
    }

    /**
     * The fleet with a capability trace applied: a row's class replaces the one the shares dealt
     * that device, its parameters replace the class's, and its offline rounds replace the class's
     * availability chain.
     */
    public static Fleet of(Scenario scenario, RandomStreams streams, Optional<DeviceTrace> trace) {
        Scenario.Devices d = scenario.devices();
        int count = d.count();
        List<DeviceProfile> profiles = new ArrayList<>(count);
        double[] meanOnline = new double[count];
        double[] meanOffline = new double[count];
        if (d.classes().isEmpty()) {
            DeviceProfile profile = new DeviceProfile(DEFAULT_CLASS, d.cpuMinHz(), d.cpuMaxHz(), d.flopsPerCycle(),
                    d.kappa(), Decibels.dbmToWatts(d.maxPowerDbm()), scenario.budgets().energyJ(),
                    scenario.data().samplesPerDevice(), scenario.training().localEpochs());
            for (int k = 0; k < count; k++) {
                profiles.add(profile);
                meanOnline[k] = d.meanOnlineRounds();
                meanOffline[k] = d.meanOfflineRounds();
            }
        } else {
            Scenario.DeviceClass[] classOf = new Scenario.DeviceClass[count];
            int[] order = Variates.permutation(count, streams.stream("fleet", "classes"));
            int[] counts = d.classCounts();
            int next = 0;
            for (int c = 0; c < counts.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    classOf[order[next++]] = d.classes().get(c);
                }
            }
            for (int k = 0; k < count; k++) {
                int device = k;
                Optional<String> named = trace.flatMap(t -> t.row(device)).flatMap(DeviceTrace.Row::deviceClass);
                Scenario.DeviceClass c = named.isPresent() ? d.classes().stream()
                        .filter(dc -> dc.name().equals(named.get())).findFirst().orElseThrow() : classOf[k];
                profiles.add(new DeviceProfile(c.name(), c.cpuMinHz(), c.cpuMaxHz(), c.flopsPerCycle(), c.kappa(),
                        Decibels.dbmToWatts(c.maxPowerDbm()), c.energyBudgetJ(), c.samples(), c.localEpochs()));
                meanOnline[k] = c.meanOnlineRounds();
                meanOffline[k] = c.meanOfflineRounds();
            }
        }
        BitSet[] offline = new BitSet[count];
        if (trace.isPresent()) {
            for (DeviceTrace.Row row : trace.get().rows().values()) {
                profiles.set(row.device(), withParameters(profiles.get(row.device()), row.parameters()));
                if (row.offline().isPresent()) {
                    offline[row.device()] = row.offline().get();
                    meanOffline[row.device()] = 0;
                }
            }
        }
        for (int k = 0; k < count; k++) {
            if (meanOffline[k] > 0) {
                RandomGenerator random = streams.stream("fleet", "availability/device-" + k);
                offline[k] = Availability.draw(scenario.rounds(), meanOnline[k], meanOffline[k], random);
            }
        }
        return new Fleet(profiles, Availability.of(offline));
    }

    /** A trace row's parameters over the device's class values. */
    private static DeviceProfile withParameters(DeviceProfile p, java.util.Map<String, Double> given) {
        return new DeviceProfile(p.deviceClass(), given.getOrDefault("cpu_min_hz", p.cpuMinHz()),
                given.getOrDefault("cpu_max_hz", p.cpuMaxHz()), given.getOrDefault("flops_per_cycle", p.flopsPerCycle()),
                given.getOrDefault("kappa", p.kappa()),
                given.containsKey("max_power_dbm") ? Decibels.dbmToWatts(given.get("max_power_dbm")) : p.maxPowerW(),
                given.getOrDefault("energy_budget_j", p.energyBudgetJ()),
                given.containsKey("samples") ? Math.round(given.get("samples")) : p.samples(),
                given.containsKey("local_epochs") ? (int) Math.round(given.get("local_epochs")) : p.localEpochs());
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
