package org.fedlodrop.simulator.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.SubAdapterCut;
import org.fedlodrop.models.lora.SubAdapterSize;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.reports.records.DeviceJobRecord;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.cost.DeviceRoundCost;
import org.fedlodrop.simulator.federation.JobBoard;
import org.fedlodrop.simulator.kernel.FailPoint;
import org.fedlodrop.simulator.kernel.Phase;
import org.fedlodrop.simulator.kernel.VirtualTime;
import org.fedlodrop.simulator.learning.BuiltInAggregations;
import org.fedlodrop.simulator.learning.GlobalModel;
import org.fedlodrop.simulator.planning.DevicePlan;
import org.fedlodrop.simulator.planning.RoundPlan;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.wireless.GainBelief;
import org.fedlodrop.simulator.wireless.LinkTimeline;

/**
 * The base station's side of a buffered run (FedBuff; docs/buffered.md): which devices start jobs when, their plans
 * in the band the jobs in flight leave, their sub-adapters, the buffer of what arrives, and the server's steps. The
 * base station actor hands it its events and lends it its clock and records; the bookkeeping is {@link JobBoard}'s.
 */
final class BufferedServer {
    private final BaseStation station;
    private final RunSetup setup;
    private final Scenario scenario;
    private final Optional<GlobalModel> learning;
    private final SplittableRandom maskStream;
    private final SplittableRandom learningMaskStream;
    private final int devices;
    private final int cells;
    /** planner.outage ε; 0: nominal plans. */
    private final double outage;
    /** The jobs, the buffer and when the server steps. */
    private final JobBoard board;
    /** By device: its job in flight. */
    private final Job[] jobs;
    /** Jobs that ended since the buffer was last taken, in the order they ended. */
    private final List<JobEnd> ended = new ArrayList<>();
    /** What the step under way applies: the jobs that had ended when it was triggered. */
    private List<JobEnd> taken = List.of();
    /** Updates (uploads that arrived) each server step applied, by step: the W0 changes devices download. */
    private final List<Integer> stepSenders = new ArrayList<>();
    /** The plans made since the last server step. */
    private final List<RoundPlan> stepPlans = new ArrayList<>();
    /** The devices starting jobs at the current instant, in device order. */
    private List<Integer> starting = List.of();
    private int plannedCells;
    private boolean stepping;
    private boolean finished;
    private long stepStartNs;
    /** Devices come and go with availability periods of a round's length: budget plus aggregation. */
    private final long availabilityPeriodNs;
    /** Soundings so far, less one: each instant at which jobs start is sounded as a synchronous round is. */
    private int round = -1;
    private BaseStation.ChannelState channel;
    private DevicePlan[] plan;
    private List<RoundPlan> cellPlans;

    /**
     * @param maskStream         the base station's stream of sub-adapter cuts (docs/model.md eq. 5)
     * @param learningMaskStream its stream of the masks devices train under
     */
    BufferedServer(BaseStation station, RunSetup setup, Optional<GlobalModel> learning, SplittableRandom maskStream,
                   SplittableRandom learningMaskStream) {
        this.station = station;
        this.setup = setup;
        this.scenario = setup.scenario();
        this.learning = learning;
        this.maskStream = maskStream;
        this.learningMaskStream = learningMaskStream;
        this.devices = setup.deviceCount();
        this.cells = setup.topology().cells().size();
        this.outage = scenario.planner().outage();
        Scenario.Federation federation = scenario.federation();
        int[] cellOf = new int[devices];
        for (int k = 0; k < devices; k++) {
            cellOf[k] = setup.topology().servingCell(k);
        }
        this.board = new JobBoard(cellOf, federation.concurrency(devices), federation.bufferSize());
        this.jobs = new Job[devices];
        this.availabilityPeriodNs = VirtualTime.nanos(scenario.budgets().latencyS() + scenario.network().aggregationTimeS());
    }

    /** A cell's plan: once every cell with starting devices has its own, the jobs go out. */
    void onPlan(RoundPlan cellPlan) {
        for (DevicePlan device : cellPlan.devices()) {
            plan[device.device()] = device;
        }
        cellPlans.add(cellPlan);
        stepPlans.add(cellPlan);
        if (cellPlans.size() == plannedCells) {
            dispatchJobs();
        }
    }

    /** A job in flight: what was sent, from which version, and the model it started from. */
    private record Job(int device, int version, BaseStation.Sent sent, boolean leavesOffline, Adapter base,
                       List<LoraMask> masks) {
    }

    private record JobEnd(Job job, BaseStation.Report report) {
    }

    /** Whether device k is online at time t: availability in periods of a round's length. */
    private boolean onlineAt(int k, long timeNs) {
        return onlineIn(k, timeNs / availabilityPeriodNs);
    }

    /** Whether device k is online in availability period {@code period}. */
    private boolean onlineIn(int k, long period) {
        return setup.fleet().online((int) Math.min(Integer.MAX_VALUE - 1, period), k);
    }

    /** The devices that may start a job now take one: the channel is sounded for them; else the server may step. */
    void startJobs() {
        if (finished || stepping) {
            return;
        }
        List<Integer> next = new ArrayList<>(board.starting(k -> onlineAt(k, station.now())));
        if (next.isEmpty()) {
            if (board.inFlight() == 0 && board.buffered() == 0 && board.awaitsOffline(k -> onlineAt(k, station.now()))) {
                // Nothing to apply and nobody online to start: wait for the next availability period.
                long period = station.now() / availabilityPeriodNs + 1;
                station.at(period * availabilityPeriodNs, Phase.ROUND_START, BaseStation.TARGET,
                        new BaseStation.StartRound(round + 1));
            } else if (board.inFlight() == 0) {
                scheduleStep(); // nothing in flight and nobody to start: apply what the buffer holds
            }
            return;
        }
        java.util.Collections.sort(next);
        starting = next;
        round++;
        long deadline = VirtualTime.plus(station.now(), VirtualTime.nanos(scenario.budgets().latencyS()));
        station.write(EventRecord.of(station.now(), EventType.JOBS_START, round, null, "step", board.version(),
                "devices", next, "deadline_ns", deadline));
        station.at(station.now(), Phase.SOUNDING, Channel.TARGET, new Channel.Sound(round, deadline));
    }

    /** Each cell plans its starting devices in the band its jobs in flight leave. */
    void planJobs(BaseStation.ChannelState state) {
        channel = state;
        plan = new DevicePlan[devices];
        cellPlans = new ArrayList<>();
        plannedCells = 0;
        for (int c = 0; c < cells; c++) {
            List<Integer> cellDevices = new ArrayList<>();
            List<Double> seen = new ArrayList<>();
            List<Double> folded = new ArrayList<>();
            for (int k : starting) {
                if (setup.topology().servingCell(k) == c) {
                    GainBelief belief = state.devices().get(k).belief();
                    cellDevices.add(k);
                    seen.add(outage > 0 ? belief.outageGain(outage) : belief.estimate());
                    folded.add(foldedResidualBits(board.stepsSinceLastStart(k)));
                }
            }
            if (cellDevices.isEmpty()) {
                continue;
            }
            plannedCells++;
            station.at(station.now(), Phase.PLANNING, Planner.TARGET, new Planner.PlanRound(round, c, cellDevices, seen,
                    board.bandLeft(c, setup.radio().bandwidthHz()), folded));
        }
    }

    /**
     * The W0 change a device downloads under {@code exact} aggregation after the last {@code steps} server steps: each
     * step's residual in factored form, concatenated (eq. 4; a step of fewer than two updates leaves W0 as it was).
     */
    private double foldedResidualBits(int steps) {
        if (!scenario.dropout().aggregation().equals(BuiltInAggregations.EXACT)) {
            return 0;
        }
        int factors = 0;
        for (int s = stepSenders.size() - steps; s < stepSenders.size(); s++) {
            if (stepSenders.get(s) >= 2) {
                factors += stepSenders.get(s) + 1;
            }
        }
        return factors == 0 ? 0 : setup.profile().foldedResidualBits(scenario.model().rank(), factors - 1,
                scenario.model().bitsPerParameter());
    }

    /** Sends each served starting device its sub-adapter, cut from the current model; the others had their turn. */
    void dispatchJobs() {
        Scenario.Model model = scenario.model();
        long start = station.now();
        long full = VirtualTime.plus(start, VirtualTime.nanos(scenario.budgets().latencyS()));
        for (int k : starting) {
            DevicePlan device = plan[k];
            BaseStation.DeviceChannel seen = channel.devices().get(k);
            if (!device.served()) {
                board.passedOver(k);
                Job job = new Job(k, board.version(), new BaseStation.Sent(board.version(), device, seen, 0, 0, 0, start, full), false,
                        null, null);
                ended.add(new JobEnd(job, new BaseStation.Report(round, k, DeviceOutcome.UNSERVED, DeviceRoundCost.Spent.NONE, 0,
                        null, null, null)));
                continue;
            }
            // The job ends at the budget, or where the device goes offline before it: it leaves its job.
            long deadline = full;
            boolean leaves = false;
            for (long period = start / availabilityPeriodNs + 1; period * availabilityPeriodNs < full; period++) {
                if (!onlineIn(k, period)) {
                    deadline = period * availabilityPeriodNs;
                    leaves = true;
                    break;
                }
            }
            SubAdapterSize size = SubAdapterCut.cut(scenario.dropout().mask(), setup.profile(), model.rank(),
                    device.gamma(), maskStream);
            double payload = size.uploadBits(device.bitsOr(model.bitsPerParameter()));
            double residual = foldedResidualBits(board.stepsSinceLastStart(k));
            double download = size.downloadBits(model.bitsPerParameter(), model.roundDownload());
            LinkTimeline link = seen.link();
            double downloadTime = link.transmissionS(start, download + residual,
                    gain -> setup.radio().rateBps(device.bandwidthHz(), setup.radio().baseStationPowerW(), gain));
            long arrival = VirtualTime.plus(start, VirtualTime.nanos(downloadTime));
            List<Object> fields = new ArrayList<>(List.of("gamma", device.gamma(), "bandwidth_hz", device.bandwidthHz(),
                    "payload_bits", download));
            if (residual > 0) {
                fields.addAll(List.of("residual_bits", residual));
            }
            station.write(EventRecord.of(start, EventType.DOWNLOAD_START, round, k, fields.toArray()));
            Device.SubAdapter sub = null;
            Adapter base = null;
            List<LoraMask> masks = null;
            if (learning.isPresent()) {
                GlobalModel global = learning.get();
                masks = global.masks(device.gamma(), learningMaskStream);
                base = global.adapter();
                sub = new Device.SubAdapter(global.trainingModel(device.gamma()), station.downloaded(k, round, base, masks), masks,
                        board.version());
            }
            board.started(k, device.bandwidthHz());
            jobs[k] = new Job(k, board.version(), new BaseStation.Sent(board.version(), device, seen, downloadTime, download + residual,
                    payload, start, deadline), leaves, base, masks);
            station.at(Math.min(arrival, deadline), Phase.DOWNLOAD, Device.target(k), new Device.SubAdapterArrived(round,
                    device, payload, download, link, downloadTime, deadline, arrival <= deadline, sub));
        }
        starting = List.of();
        if (!stepping && board.full()) {
            scheduleStep();
        } else {
            startJobs();
        }
    }

    /** A job ended: its band is free, its update (if any) waits in the buffer; the server may step or others start. */
    void onJobReport(BaseStation.Report report) {
        if (finished) {
            return; // a job still in flight when the last step was taken
        }
        int k = report.device();
        Job job = jobs[k];
        jobs[k] = null;
        BaseStation.Report as = report;
        if (job.leavesOffline() && report.outcome() == DeviceOutcome.MISSED_DEADLINE) {
            as = new BaseStation.Report(report.round(), k, DeviceOutcome.OFFLINE, report.spent(), report.uplinkRateBps(), null, null,
                    report.trainingStream());
        }
        if (as.outcome() == DeviceOutcome.AGGREGATED) {
            station.write(EventRecord.of(station.now(), EventType.UPLOAD_END, report.round(), k, "payload_bits", job.sent().payloadBits()));
        }
        board.ended(k, as.outcome() == DeviceOutcome.AGGREGATED);
        ended.add(new JobEnd(job, as));
        if (!stepping && board.full()) {
            scheduleStep();
        } else {
            startJobs();
        }
    }

    /** The server takes the buffer as it stands; what arrives while it aggregates waits for the next step. */
    void scheduleStep() {
        stepping = true;
        taken = new ArrayList<>(ended);
        ended.clear();
        station.write(EventRecord.of(station.now(), EventType.AGGREGATION_START, board.version(), null, "aggregated", board.buffered()));
        board.take();
        station.at(VirtualTime.plus(station.now(), VirtualTime.nanos(scenario.network().aggregationTimeS())), Phase.AGGREGATION,
                BaseStation.TARGET, new BaseStation.ServerStep(board.version()));
    }

    /**
     * The server applies the buffer (docs/buffered.md): each update rebased on the current model, weighted by its data
     * times s(τ), the model moved η Σ D s(τ) / Σ D of the way to the rule's result; then the step's rows.
     */
    void onServerStep() {
        int step = board.version();
        List<JobEnd> ends = new ArrayList<>(taken);
        ends.sort(java.util.Comparator.comparingInt(e -> e.job().device())); // stable: a device's jobs in the order they ended
        Scenario.Federation federation = scenario.federation();
        FederatedRounds.Metrics metrics = FederatedRounds.Metrics.NONE;
        if (learning.isPresent()) {
            GlobalModel global = learning.get();
            List<Aggregator.Update> updates = new ArrayList<>();
            double data = 0;
            double weighted = 0;
            for (JobEnd end : ends) {
                BaseStation.Report report = end.report();
                if (report.outcome() != DeviceOutcome.AGGREGATED || report.trained() == null) {
                    continue;
                }
                int staleness = step - end.job().version();
                double s = federation.staleness().weight(staleness, federation.stalenessA(), federation.stalenessB());
                double samples = global.samples(end.job().device());
                Adapter trained = staleness == 0 ? report.trained().adapter()
                        : FederatedRounds.rebased(report.trained().adapter(), end.job().base(), global.adapter());
                updates.add(new Aggregator.Update(trained, report.masks(), samples * s, end.job().device(),
                        end.job().sent().plan().gamma()));
                data += samples;
                weighted += samples * s;
            }
            double move = updates.isEmpty() ? 1 : federation.serverLearningRate() * weighted / data;
            FailPoint.reach("aggregation", step);
            GlobalModel.Aggregated aggregated = global.applyBufferedAndEvaluate(updates, move, setup.evaluates(step));
            station.recordErrors(step, aggregated.errors(), updates.size());
            metrics = aggregated.metrics();
        }
        double energy = 0;
        long samples = 0;
        int[] outcomes = new int[DeviceOutcome.values().length];
        java.util.stream.DoubleStream.Builder gammas = java.util.stream.DoubleStream.builder();
        for (JobEnd end : ends) {
            Job job = end.job();
            DeviceRoundRecord row = station.deviceRow(job.device(), end.report(), job.sent());
            boolean update = row.outcome() == DeviceOutcome.AGGREGATED;
            station.write(new DeviceJobRecord(row, step, update ? step - job.version() : -1,
                    VirtualTime.seconds(job.sent().startNs())));
            energy += row.energyJ();
            outcomes[row.outcome().ordinal()]++;
            if (update) {
                samples += setup.fleet().device(job.device()).samples();
            }
            if (job.sent().plan().served()) {
                gammas.add(job.sent().plan().gamma());
            }
        }
        stepSenders.add(outcomes[DeviceOutcome.AGGREGATED.ordinal()]);
        double startS = VirtualTime.seconds(stepStartNs);
        double endS = VirtualTime.seconds(station.now());
        station.write(new RoundRecord(step, startS, endS, endS - startS, energy, ends.size(),
                outcomes[DeviceOutcome.AGGREGATED.ordinal()], outcomes[DeviceOutcome.MISSED_DEADLINE.ordinal()],
                outcomes[DeviceOutcome.REFUSED_ENERGY.ordinal()], gammas.build().average().orElse(Double.NaN), samples,
                stepPlans.stream().mapToDouble(RoundPlan::boundValue).sum(),
                stepPlans.stream().mapToDouble(RoundPlan::lowerBound).sum(),
                stepPlans.stream().mapToLong(RoundPlan::iterations).sum(), outcomes[DeviceOutcome.UNSERVED.ordinal()],
                outcomes[DeviceOutcome.OFFLINE.ordinal()], metrics.trainLoss(), metrics.testLoss(), metrics.testAccuracy(),
                metrics.generalisationGap()));
        station.write(EventRecord.of(station.now(), EventType.ROUND_END, step, null, "latency_s", endS - startS, "energy_j", energy));
        board.stepped();
        stepPlans.clear();
        stepping = false;
        stepStartNs = station.now();
        if (step + 1 == scenario.rounds()) {
            finished = true;
            learning.ifPresent(global -> station.write(global.checkpoint(step, scenario.model().rank())));
            return;
        }
        if (board.full()) {
            scheduleStep(); // enough arrived while the server aggregated
        } else {
            startJobs();
        }
    }
}
