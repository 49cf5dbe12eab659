package org.fedlodrop.simulator.scenario;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.random.Variates;
import org.fedlodrop.simulator.fleet.Availability;
import org.fedlodrop.simulator.fleet.DeviceProfile;
import org.fedlodrop.simulator.fleet.Fleet;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.wireless.Decibels;

/**
 * A scenario's fleet. Without {@code devices.classes} every device is alike, of class {@code default}.
 * With classes, the counts ({@link Scenario.Devices#classCounts()}) are dealt to devices in a random order
 * drawn from the seed, so that a class is not tied to device numbers or places.
 */
public final class FleetDealing {
    private FleetDealing() {
    }

    public static Fleet deal(Scenario scenario, RandomStreams streams) {
        return deal(scenario, streams, Optional.empty());
    }

    /**
     * The fleet with a capability trace applied: a row's class replaces the one the shares dealt
     * that device, its parameters replace the class's, and its offline rounds replace the class's
     * availability chain.
     */
    public static Fleet deal(Scenario scenario, RandomStreams streams, Optional<DeviceTrace> trace) {
        Scenario.Devices d = scenario.devices();
        int count = d.count();
        List<DeviceProfile> profiles = new ArrayList<>(count);
        double[] meanOnline = new double[count];
        double[] meanOffline = new double[count];
        if (d.classes().isEmpty()) {
            DeviceProfile profile = new DeviceProfile(Fleet.DEFAULT_CLASS, d.cpuMinHz(), d.cpuMaxHz(), d.flopsPerCycle(),
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
        // A buffered run's devices come and go by periods of a round's length (docs/buffered.md), and its steps can
        // take more than one: its chains run four times as long (the first rounds' draws are the same).
        int periods = scenario.buffered() ? 4 * scenario.rounds() : scenario.rounds();
        for (int k = 0; k < count; k++) {
            if (meanOffline[k] > 0) {
                RandomGenerator random = streams.stream("fleet", "availability/device-" + k);
                offline[k] = Availability.draw(periods, meanOnline[k], meanOffline[k], random);
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
}
