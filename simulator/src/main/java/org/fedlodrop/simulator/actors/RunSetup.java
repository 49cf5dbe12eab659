package org.fedlodrop.simulator.actors;

import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.models.profile.ModelProfile;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.topology.CellTopology;
import org.fedlodrop.simulator.wireless.RadioSettings;

/**
 * What the actors of one run share and never change: the scenario and what follows from it before
 * the first event (SI radio settings, placement, model profile, compute load, random streams).
 */
public record RunSetup(Scenario scenario, RadioSettings radio, CellTopology topology, ModelProfile profile,
                       ComputeLoad computeLoad, RandomStreams streams) {

    public static RunSetup of(Scenario scenario) {
        RandomStreams streams = new RandomStreams(scenario.seed());
        ModelProfile profile = ModelCatalogue.find(scenario.model().profile())
                .orElseThrow(() -> new IllegalArgumentException("unknown model profile " + scenario.model().profile()));
        return new RunSetup(scenario, RadioSettings.of(scenario),
                CellTopology.uniformDisc(scenario, streams.stream("topology", "placement")),
                profile,
                ComputeLoad.of(profile, scenario.model().rank(), scenario.devices().flopsPerCycle()),
                streams);
    }

    public int deviceCount() {
        return scenario.devices().count();
    }
}
