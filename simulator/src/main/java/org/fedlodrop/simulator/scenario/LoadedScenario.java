package org.fedlodrop.simulator.scenario;

import java.util.Optional;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.models.family.ModelFamily;
import org.fedlodrop.simulator.fleet.Fleet;
import org.fedlodrop.simulator.kernel.RandomStreams;

/**
 * A validated scenario with the bytes it was read from, for the run's provenance, and the data
 * files it names, already read and checked: a gain trace, the texts and base of a
 * text-classification workload, and a device capability trace; and the extensions it was checked
 * against, from which the run builds its planner, aggregation rule and channel models; and the fleet, dealt
 * once from the seed (the run, its learning task and the reference arms all take this one); and, for a run that
 * learns, its model family with the files its settings name read.
 */
public record LoadedScenario(Scenario scenario, String source, byte[] sourceBytes, Extensions extensions,
                             Optional<GainTrace> trace, Optional<TextWorkloadFiles> text,
                             Optional<DeviceTrace> deviceTrace, Fleet fleet, Optional<ModelFamily.Loaded> family) {
    /** A scenario that learns nothing (its workload none), as loaded. */
    public LoadedScenario(Scenario scenario, String source, byte[] sourceBytes, Optional<GainTrace> trace) {
        this(scenario, source, sourceBytes, Extensions.builtIn(), trace, Optional.empty(), Optional.empty(),
                FleetDealing.deal(scenario, new RandomStreams(scenario.seed())), Optional.empty());
    }

    public String sourceSha256() {
        return sha256(sourceBytes);
    }

    public static String sha256(byte[] bytes) {
        return org.fedlodrop.reports.io.Sha256.hex(bytes);
    }
}
