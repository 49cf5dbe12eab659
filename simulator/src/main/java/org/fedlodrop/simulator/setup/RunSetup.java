package org.fedlodrop.simulator.setup;

import org.fedlodrop.simulator.kernel.ActorIds;

import java.util.Optional;
import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.models.profile.ModelProfile;
import org.fedlodrop.reports.records.TopologyRecord;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.fleet.Fleet;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.kernel.ResumableStream;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.scenario.Workload;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.topology.CellTopology;
import org.fedlodrop.simulator.topology.Placements;
import org.fedlodrop.simulator.topology.Site;
import org.fedlodrop.simulator.scenario.GainTrace;
import org.fedlodrop.simulator.resume.Resume;
import org.fedlodrop.simulator.wireless.PathLoss;
import org.fedlodrop.simulator.wireless.RadioSettings;
import org.fedlodrop.simulator.wireless.ShadowingField;

/**
 * What the actors of one run share and never change: the scenario and what follows from it before
 * the first event (SI radio settings, placement and association, the initial shadowing and
 * line-of-sight draws of every link, model profile, random streams, gain trace, the learning task when
 * there is a workload, and the fleet: each device's class, parameters, data size and availability), and the
 * extensions the scenario was loaded against, from which its planner and aggregation rule are built; and, in a
 * resumed run, the checkpoint it resumes from.
 *
 * @param shadowingDb  initial shadowing of every link, [cell][device]
 * @param losDraws     a uniform draw per link; the link has line of sight while it is below P_LOS(d)
 */
public record RunSetup(Scenario scenario, RadioSettings radio, PathLoss pathLoss, CellTopology topology,
                       double[][] shadowingDb, double[][] losDraws, ModelProfile profile,
                       RandomStreams streams, Optional<GainTrace> trace, Optional<LearningTask> learning, Fleet fleet,
                       org.fedlodrop.simulator.extension.Extensions extensions, Optional<Resume> resume) {

    public static RunSetup of(LoadedScenario loaded) {
        Scenario scenario = loaded.scenario();
        RandomStreams streams = new RandomStreams(scenario.seed());
        ModelProfile profile = ModelCatalogue.find(scenario.model().profile())
                .orElseThrow(() -> new IllegalArgumentException("unknown model profile " + scenario.model().profile()));
        double[][] positions = Placements.place(scenario, streams.stream("topology", "placement"));
        double[] x = positions[0];
        double[] y = positions[1];
        PathLoss pathLoss = RadioModels.pathLoss(scenario, loaded.extensions());
        int cells = scenario.topology().cells().size();
        int devices = x.length;
        double[][] shadowing = new double[cells][];
        double[][] los = new double[cells][devices];
        double[][] meanGainDb = new double[cells][devices];
        for (int c = 0; c < cells; c++) {
            Scenario.Cell cell = scenario.topology().cells().get(c);
            shadowing[c] = ShadowingField.draw(x, y, scenario.channel().shadowingDb(),
                    scenario.channel().shadowingCorrelationM(), streams.stream(ActorIds.CHANNEL, "shadowing/cell-" + c));
            var losStream = streams.stream(ActorIds.CHANNEL, "los/cell-" + c);
            for (int k = 0; k < devices; k++) {
                los[c][k] = losStream.nextDouble();
                double d = distance(cell.xM(), cell.yM(), x[k], y[k], scenario.topology().minDistanceM());
                meanGainDb[c][k] = pathLoss.largeScaleGainDb(d, shadowing[c][k], los[c][k]);
            }
        }
        Fleet fleet = loaded.fleet();
        Optional<LearningTask> learning = scenario.data().workload() == Workload.NONE ? Optional.empty()
                : Optional.of(LearningTask.of(loaded, streams, fleet.samples()));
        if (learning.isPresent()) {
            // D_k is what the partition dealt: skewed partitions redistribute the fleet's total.
            fleet = fleet.withSamples(learning.get().localSizes());
        }
        return new RunSetup(scenario, RadioModels.radio(scenario), pathLoss,
                CellTopology.build(scenario, x, y, meanGainDb), shadowing, los, profile, streams,
                loaded.trace(), learning, fleet, loaded.extensions(), Optional.empty());
    }

    /** The same run, resumed from a checkpoint (docs/checkpoints.md). */
    public RunSetup resumedFrom(Resume from) {
        if (from.trainingStreams().length != deviceCount()) {
            throw new IllegalArgumentException("the checkpoint has " + from.trainingStreams().length
                    + " training streams for " + deviceCount() + " devices");
        }
        return new RunSetup(scenario, radio, pathLoss, topology, shadowingDb, losDraws, profile, streams, trace, learning,
                fleet, extensions, Optional.of(from));
    }

    /** Device k's local-training stream where this run starts it: from the seed, or where a checkpoint left it. */
    public ResumableStream trainingStream(int device) {
        return resume.map(from -> new ResumableStream(from.trainingStream(device)))
                .orElseGet(() -> streams.resumable(ActorIds.device(device), "training"));
    }

    /** Whether round r is replayed without learning, the checkpoint resumed from holding its results. */
    public boolean replays(int round) {
        return resume.isPresent() && resume.get().replays(round);
    }

    /** Whether the global model is evaluated after this round (or buffered step): {@code training.evaluate_every}. */
    public boolean evaluates(int round) {
        return scenario().training().evaluates(round, scenario().rounds());
    }

    /** Distance for path loss: never below the minimum distance, where the models stop being valid. */
    public static double distance(double ax, double ay, double bx, double by, double minimumM) {
        return Math.max(Math.hypot(ax - bx, ay - by), minimumM);
    }

    public int deviceCount() {
        return scenario.devices().count();
    }

    /** Device k's processor cycles per sample: its own FLOPs per cycle (eq. 12). */
    public ComputeLoad computeLoad(int device) {
        return ComputeLoad.of(profile, scenario.model().rank(), fleet.device(device).flopsPerCycle());
    }

    /** The mean gain (path loss and shadowing, no fading) of device k's serving link at the start, in dB. */
    public double meanGainDb(int device) {
        int c = topology.servingCell(device);
        Site.BaseStationSite cell = topology.cells().get(c);
        Site.DeviceSite site = topology.devices().get(device);
        double d = distance(cell.xM(), cell.yM(), site.xM(), site.yM(), scenario.topology().minDistanceM());
        return pathLoss.largeScaleGainDb(d, shadowingDb[c][device], losDraws[c][device]);
    }

    /** {@code topology.json}. */
    public TopologyRecord topologyRecord() {
        var cells = topology.cells().stream()
                .map(c -> new TopologyRecord.CellEntry(c.cell(), c.xM(), c.yM(), radio.bandwidthHz())).toList();
        var devices = topology.devices().stream()
                .map(d -> new TopologyRecord.DeviceEntry(d.device(), d.xM(), d.yM(), topology.servingCell(d.device()),
                        topology.distanceM(d.device()), meanGainDb(d.device()), fleet.device(d.device()).deviceClass(),
                        fleet.device(d.device()).samples())).toList();
        if (!scenario.topology().hierarchical()) {
            return new TopologyRecord(cells, devices);
        }
        org.fedlodrop.simulator.backhaul.BackhaulNetwork network = scenario.topology().backhaul().network(cells.size());
        var at = network.drawnAt(cells.stream().map(c -> new double[] {c.xM(), c.yM()}).toList());
        var links = network.links().stream().map(l -> new TopologyRecord.BackhaulLinkEntry(l.from(), l.to(),
                at.get(l.from())[0], at.get(l.from())[1], at.get(l.to())[0], at.get(l.to())[1], l.latencyS(),
                l.capacityBps())).toList();
        return new TopologyRecord(cells, devices, links);
    }
}
