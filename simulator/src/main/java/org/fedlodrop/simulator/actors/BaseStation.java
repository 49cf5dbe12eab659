package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.SimulatedActor;
import org.fedlodrop.simulator.kernel.Phase;

import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.simulator.learning.BuiltInAggregations;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.SubAdapterCut;
import org.fedlodrop.models.lora.SubAdapterSize;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.StochasticQuantiser;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.ResumePoint;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.cost.DeviceRoundCost;
import org.fedlodrop.simulator.kernel.FailPoint;
import org.fedlodrop.simulator.kernel.Lookahead;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.Target;
import org.fedlodrop.simulator.kernel.VirtualTime;
import org.fedlodrop.simulator.learning.GlobalModel;
import org.fedlodrop.models.net.AggregationError;
import org.fedlodrop.reports.records.AggregationRecord;
import org.fedlodrop.reports.records.CellRoundRecord;
import org.fedlodrop.simulator.backhaul.CloudTransfers;
import org.fedlodrop.simulator.planning.DevicePlan;
import org.fedlodrop.simulator.planning.RoundPlan;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.topology.Site;
import org.fedlodrop.simulator.wireless.GainBelief;
import org.fedlodrop.simulator.wireless.LinkTimeline;

/**
 * The edge server. Each round: sounds the channel, asks the planner for a {@link RoundPlan}, cuts a
 * sub-adapter per device and sends it down, collects every device's report by the deadline,
 * aggregates what arrived, and records the round (docs/model.md §4).
 */
public final class BaseStation extends SimulatedActor<BaseStation.Command, BaseStation.Event> {
    public static final Target<Event> TARGET = new Target<>(ActorIds.BASE_STATION);

    public sealed interface Command permits Wake {
    }

    public record Wake(Clock.Delivery delivery) implements Command {
    }

    /** What the base station handles; each event names its handler, so none can be missing. */
    public sealed interface Event extends SimEvent permits StartRound, ChannelState, PlanReady, Report, Aggregated,
            AtCloud, BackAtCells, ServerStep {
        void deliverTo(BaseStation station);
    }

    public record StartRound(int round) implements Event {
        @Override
        public void deliverTo(BaseStation station) {
            station.onStartRound(this);
        }
    }

    /**
     * The channel of a round: each device's true serving-link gains over the round's coherence blocks,
     * what the planner may know of them (the estimate it sees, and what follows from it), and the
     * devices' places.
     */
    public record ChannelState(int round, List<DeviceChannel> devices) implements Event {
        public ChannelState {
            devices = List.copyOf(devices);
        }

        @Override
        public void deliverTo(BaseStation station) {
            station.onChannelState(this);
        }
    }

    /** One device's part of {@link ChannelState}: its link over the round, what the planner may know, its place. */
    public record DeviceChannel(LinkTimeline link, GainBelief belief, double xM, double yM) {
    }

    /** The plan of one cell. */
    public record PlanReady(RoundPlan plan) implements Event {
        @Override
        public void deliverTo(BaseStation station) {
            station.onPlan(plan);
        }
    }

    /**
     * A device's account of its round: its upload arriving, or why none will.
     *
     * @param spent   what the device spent on computation and upload
     * @param trained the trained sub-adapter, with a workload and an upload that arrived; else null
     * @param masks   the masks it was trained under, likewise
     * @param trainingStream the device's training stream position after the round (null: the device did not
     *                       report itself, offline or unserved, and drew nothing)
     */
    public record Report(int round, int device, DeviceOutcome outcome, DeviceRoundCost.Spent spent,
                         double uplinkRateBps, LocalTrainer.Outcome trained, List<LoraMask> masks,
                         Long trainingStream) implements Event {
        public Report {
            masks = masks == null ? null : List.copyOf(masks);
        }

        @Override
        public void deliverTo(BaseStation station) {
            station.onReport(this);
        }
    }

    /** Aggregation of the round is done. */
    public record Aggregated(int round) implements Event {
        @Override
        public void deliverTo(BaseStation station) {
            station.onAggregated(this);
        }
    }

    /** Every cell's model has reached the cloud (docs/hierarchy.md): merge. */
    public record AtCloud(int round) implements Event {
        @Override
        public void deliverTo(BaseStation station) {
            station.onAtCloud();
        }
    }

    /** The merged model has reached every cell: the round ends. */
    public record BackAtCells(int round) implements Event {
        @Override
        public void deliverTo(BaseStation station) {
            station.onBackAtCells();
        }
    }

    /** A buffered run's server applies what its buffer holds (docs/buffered.md). */
    public record ServerStep(int step) implements Event {
        @Override
        public void deliverTo(BaseStation station) {
            station.buffered.onServerStep();
        }
    }

    private final RunSetup setup;
    private final Scenario scenario;
    private final SplittableRandom maskStream;
    private final SplittableRandom learningMaskStream;
    private final int devices;
    private final String[] deviceIds;
    private final int cells;
    /** planner.outage ε; 0: nominal plans. */
    private final double outage;
    /** The global model when there is a workload. */
    private final Optional<GlobalModel> learning;
    /** Each device's training stream position as of its last report: what a checkpoint keeps. */
    private final long[] trainingStreams;
    /** Rounds between checkpoints; 0: none (docs/checkpoints.md). */
    private final int checkpointEvery;
    /** With a backhaul (docs/hierarchy.md): each cell's own model, by cell; empty otherwise or without learning. */
    private final List<GlobalModel> cellModels;
    /** With a backhaul: what a cloud merge costs on it; null otherwise. */
    private final CloudTransfers cloudTransfers;
    /** Whether the cloud merges the cells' aggregates of one round by aggregating their updates at once (H = 1, a built-in rule). */
    private final boolean mergeUpdates;
    /** With a backhaul: samples each cell aggregated since the last merge (its weight in the next), and the updates. */
    private final double[] samplesSinceMerge;
    private final int[] aggregatedSinceMerge;
    /** The cloud model's metrics, which change at merges only; null until evaluated. */
    private FederatedRounds.Metrics cloudMetrics;
    /** With a backhaul: each cell's route to the cloud, its nodes in order, for the event log. */
    private final List<List<String>> backhaulRoutes;
    /**
     * Updates the cells aggregated between the last two merges (a flat run's: the round before's): the W0 change every
     * device downloads after a merge.
     */
    private int lastMergeSenders;
    private double roundEnergy;
    /** A checkpoint has come due since the last one written (with a backhaul it waits for a merge round). */
    private boolean checkpointDue;
    private long roundSamples;
    private double[] deviceEnergy;
    private List<Aggregator.Update> roundUpdates;
    /** A buffered run's side of the server (docs/buffered.md); null in a synchronous run. */
    private final BufferedServer buffered;

    private int round;
    private long roundStartNs;
    private long deadlineNs;
    private ChannelState channel;
    private DevicePlan[] plan;
    private List<RoundPlan> cellPlans;
    /** Rounds the downloads with {@code model.round_download}. */
    private final StochasticQuantiser downloadRounding;
    /** Each device's upload (eq. 5: below 32 bits its LoRA entries rounded) and its sub-adapter's download. */
    private double[] payloadBits;
    private double[] downloadBits;
    /** What every download of the round carries besides the sub-adapter: the W0 change of exact aggregation. */
    private double[] residualBits;
    /** Updates each cell aggregated in the round before, with a backhaul: a cell's W0 change between merges. */
    private int[] aggregatedBefore;
    /** Whether the round before ended with a cloud merge (every flat round does): W0 changed by all cells' updates. */
    private boolean mergedBefore;
    /** Whether this round ends with a cloud merge. */
    private boolean merges;
    /** This round's cell aggregations, by cell (with a backhaul). */
    private List<CellRoundRecord> cellRows;
    private double[] downloadS;
    private Report[] reports;
    private int reported;
    /** Once this round's sub-adapters are sent: nothing goes out before every report is in. */
    private Lookahead.Barrier awaitingReports;

    private BaseStation(ActorContext<Command> context, RunSetup setup, ActorRef<Clock.Command> clock,
                        Executor evaluation) {
        super(context, TARGET, Event.class, clock, Wake::new, Clock.Reach.ANY);
        this.setup = setup;
        this.scenario = setup.scenario();
        this.downloadRounding = new StochasticQuantiser(Math.min(StochasticQuantiser.FULL_PRECISION,
                setup.scenario().model().bitsPerParameter()));
        this.devices = setup.deviceCount();
        this.deviceIds = java.util.stream.IntStream.range(0, devices).mapToObj(ActorIds::device).toArray(String[]::new);
        this.cells = setup.topology().cells().size();
        this.outage = scenario.planner().outage();
        this.maskStream = setup.streams().stream(ActorIds.BASE_STATION, "masks");
        this.learningMaskStream = setup.streams().stream(ActorIds.BASE_STATION, "learning-masks");
        this.learning = setup.learning().map(task -> new GlobalModel(task,
                org.fedlodrop.simulator.learning.AggregationRules.of(scenario, setup.extensions()),
                scenario.dropout().mask(), scenario.dropout().rescale(), evaluation));
        this.trainingStreams = new long[devices];
        for (int k = 0; k < devices; k++) {
            trainingStreams[k] = setup.trainingStream(k).position();
        }
        // A buffered run has no point where nothing is in flight: it takes no checkpoints (docs/buffered.md).
        this.checkpointEvery = learning.isPresent() && !scenario.buffered() ? scenario.output().checkpointEvery() : 0;
        setup.resume().filter(resume -> resume.round() > 0)
                .ifPresent(resume -> learning.ifPresent(global -> global.restore(resume.learning())));
        boolean hierarchical = scenario.topology().hierarchical();
        this.aggregatedBefore = new int[cells];
        this.cloudTransfers = hierarchical ? scenario.cloudTransfers(setup.profile()) : null;
        this.samplesSinceMerge = new double[cells];
        this.aggregatedSinceMerge = new int[cells];
        String rule = scenario.dropout().aggregation();
        this.mergeUpdates = hierarchical && scenario.topology().backhaul().cloudEvery() == 1 && BuiltInAggregations.builtIn(rule);
        List<GlobalModel> models = new ArrayList<>();
        if (hierarchical && learning.isPresent()) {
            for (int c = 0; c < cells; c++) {
                GlobalModel cell = new GlobalModel(setup.learning().get(),
                        org.fedlodrop.simulator.learning.AggregationRules.of(scenario, setup.extensions()),
                        scenario.dropout().mask(), scenario.dropout().rescale(), evaluation);
                cell.adopt(learning.get());
                models.add(cell);
            }
        }
        this.cellModels = List.copyOf(models);
        this.buffered = scenario.buffered() ? new BufferedServer(this, setup, learning, maskStream, learningMaskStream) : null;
        this.backhaulRoutes = hierarchical ? scenario.topology().backhaul().network(cells).routes().stream()
                .map(org.fedlodrop.simulator.backhaul.BackhaulNetwork.Route::nodes).toList() : List.of();
    }

    /** @param evaluation threads the global model is evaluated on: the run's training threads, idle by then */
    public static Behavior<Command> create(RunSetup setup, ActorRef<Clock.Command> clock, Executor evaluation) {
        return Behaviors.setup(context -> new BaseStation(context, setup, clock, evaluation));
    }

    /** The event that starts a run. */
    public static StartRound firstRound() {
        return new StartRound(0);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Wake.class, wake -> onDelivery(wake.delivery())).build();
    }

    @Override
    protected void handle(Event event) {
        event.deliverTo(this);
    }

    private void onStartRound(StartRound start) {
        if (buffered != null) {
            buffered.startJobs();
            return;
        }
        round = start.round();
        FailPoint.reach("round", round);
        roundStartNs = nowNs();
        merges = scenario.cloudMerges(round);
        // A round that ends with a cloud merge leaves the backhaul its time: out to the cloud and back (docs/hierarchy.md).
        long backhaulNs = merges ? 2 * halfTripNs() : 0;
        deadlineNs = VirtualTime.plus(roundStartNs, VirtualTime.nanos(scenario.budgets().latencyS()) - backhaulNs);
        reports = new Report[devices];
        reported = 0;
        awaitingReports = null;
        record(EventRecord.of(nowNs(), EventType.ROUND_START, round, null, "deadline_ns", deadlineNs));
        schedule(nowNs(), Phase.SOUNDING, Channel.TARGET, new Channel.Sound(round, deadlineNs));
    }

    /** Each cell is planned on its own band, with the estimates its planner may see. */
    private void onChannelState(ChannelState state) {
        if (buffered != null) {
            buffered.planJobs(state);
            return;
        }
        channel = state;
        plan = new DevicePlan[devices];
        cellPlans = new ArrayList<>();
        // What each cell's devices will download besides their sub-adapters: known now, so planned on as it is.
        residualBits = residualBits();
        int planned = 0;
        for (int c = 0; c < cells; c++) {
            int[] members = setup.topology().devicesOf(c);
            List<Integer> cellDevices = new ArrayList<>(members.length);
            List<Double> seen = new ArrayList<>(members.length);
            for (int member : members) {
                if (!setup.fleet().online(state.round(), member)) {
                    // Offline this round: not planned, sent nothing (outcome offline).
                    plan[member] = new DevicePlan(member, 0, 0, 0, 0);
                    continue;
                }
                GainBelief belief = state.devices().get(member).belief();
                cellDevices.add(member);
                // Nominal plans take the estimate as true; plans for outage the gain exceeded with probability 1 − ε.
                seen.add(outage > 0 ? belief.outageGain(outage) : belief.estimate());
            }
            if (cellDevices.isEmpty() && members.length > 0) {
                // Every device of the cell is offline: there is nothing to plan.
                cellPlans.add(new RoundPlan(state.round(), c, scenario.planner().solver(), List.of(), 0,
                        Double.NaN, 0, List.of()));
                continue;
            }
            planned++;
            schedule(nowNs(), Phase.PLANNING, Planner.TARGET,
                    new Planner.PlanRound(state.round(), c, cellDevices, seen, setup.radio().bandwidthHz(),
                            java.util.Collections.nCopies(cellDevices.size(), residualBits[c])));
        }
        if (planned == 0) {
            dispatch();
        }
    }

    private void onPlan(RoundPlan cellPlan) {
        if (buffered != null) {
            buffered.onPlan(cellPlan);
            return;
        }
        for (DevicePlan device : cellPlan.devices()) {
            plan[device.device()] = device;
        }
        cellPlans.add(cellPlan);
        if (cellPlans.size() < cells) {
            return;
        }
        dispatch();
    }

    /**
     * Once the sub-adapters are out, the next thing the base station sends is the next round's sounding,
     * after every device has reported and the aggregation time has passed: devices run a whole round
     * ahead in their windows instead of one event at a time.
     */
    @Override
    protected Lookahead lookahead() {
        return awaitingReports == null || reported == devices ? Lookahead.NONE : awaitingReports;
    }

    /**
     * The sub-adapter as device k receives it: with {@code model.round_download} its kept LoRA entries rounded to
     * q bits as uploads are (StochasticQuantiser), from a stream of that device and round alone; otherwise as held.
     */
    private Adapter downloaded(int k, Adapter adapter, List<LoraMask> masks) {
        return downloaded(k, round, adapter, masks);
    }

    /** As above, for the download of sounding {@code sounding} (a buffered run's jobs: docs/buffered.md). */
    Adapter downloaded(int k, int sounding, Adapter adapter, List<LoraMask> masks) {
        if (!scenario.model().roundDownload()) {
            return adapter;
        }
        return downloadRounding.quantise(adapter, masks, setup.streams().stream(ActorIds.device(k), "download-" + sounding));
    }

    /** Every cell is planned: send each served device its sub-adapter; the others report at once. */
    private void dispatch() {
        payloadBits = new double[devices];
        downloadBits = new double[devices];
        downloadS = new double[devices];
        Scenario.Model model = scenario.model();
        for (int k = 0; k < devices; k++) {
            DevicePlan device = plan[k];
            if (!setup.fleet().online(round, k)) {
                receive(new Report(round, k, DeviceOutcome.OFFLINE, DeviceRoundCost.Spent.NONE, 0, null, null, null));
                continue;
            }
            if (!device.served()) {
                // Left out by the planner: nothing is sent, and the device has nothing to report.
                receive(new Report(round, k, DeviceOutcome.UNSERVED, DeviceRoundCost.Spent.NONE, 0, null, null, null));
                continue;
            }
            SubAdapterSize size = SubAdapterCut.cut(scenario.dropout().mask(), setup.profile(), model.rank(),
                    device.gamma(), maskStream);
            payloadBits[k] = size.uploadBits(device.bitsOr(model.bitsPerParameter()));
            downloadBits[k] = size.downloadBits(model.bitsPerParameter(), model.roundDownload());
            LinkTimeline link = channel.devices().get(k).link();
            double residual = residualBits[setup.topology().servingCell(k)];
            downloadS[k] = link.transmissionS(nowNs(), downloadBits[k] + residual,
                    gain -> setup.radio().rateBps(device.bandwidthHz(), setup.radio().baseStationPowerW(), gain));
            long arrival = VirtualTime.plus(nowNs(), VirtualTime.nanos(downloadS[k]));
            boolean downloaded = arrival <= deadlineNs;
            List<Object> fields = new ArrayList<>(List.of("gamma", device.gamma(), "bandwidth_hz", device.bandwidthHz(),
                    "payload_bits", downloadBits[k]));
            if (residual > 0) {
                fields.addAll(List.of("residual_bits", residual));
            }
            record(EventRecord.of(nowNs(), EventType.DOWNLOAD_START, round, k, fields.toArray()));
            Device.SubAdapter sub = null;
            if (learning.isPresent()) {
                GlobalModel global = modelOf(k);
                List<LoraMask> masks = global.masks(device.gamma(), learningMaskStream);
                // A replayed round draws its masks, so that later rounds draw what the run drew, and trains nothing.
                sub = setup.replays(round) ? null
                        : new Device.SubAdapter(global.trainingModel(device.gamma()), downloaded(k, global.adapter(), masks),
                        masks, round);
            }
            schedule(Math.min(arrival, deadlineNs), Phase.DOWNLOAD, Device.target(k),
                    new Device.SubAdapterArrived(round, device, payloadBits[k], downloadBits[k], link, downloadS[k],
                            deadlineNs, downloaded, sub));
        }
        if (reported < devices) {
            List<String> awaited = new ArrayList<>(devices - reported);
            for (int k = 0; k < devices; k++) {
                if (reports[k] == null) {
                    awaited.add(deviceIds[k]);
                }
            }
            awaitingReports = new Lookahead.Barrier(awaited, VirtualTime.nanos(scenario.network().aggregationTimeS()));
        }
    }

    // What the buffered server does through the base station: the clock, the records, the shared rows.

    long now() {
        return nowNs();
    }

    void write(RunRecord record) {
        record(record);
    }

    <T extends SimEvent> void at(long timeNs, Phase phase, Target<T> target, T event) {
        schedule(timeNs, phase, target, event);
    }

    /** The model device k's sub-adapter is cut from: its cell's with a backhaul, else the global one. */
    private GlobalModel modelOf(int k) {
        return cellModels.isEmpty() ? learning.get() : cellModels.get(setup.topology().servingCell(k));
    }

    /**
     * The W0 change each cell's devices download besides their sub-adapters under exact aggregation (eq. 4): of the
     * updates its edge server folded in the round before, or of every cell's after a cloud merge; by cell.
     */
    private double[] residualBits() {
        double[] bits = new double[cells];
        if (!scenario.dropout().aggregation().equals(BuiltInAggregations.EXACT)) {
            return bits;
        }
        Scenario.Model model = scenario.model();
        for (int c = 0; c < cells; c++) {
            int senders = mergedBefore ? lastMergeSenders : aggregatedBefore[c];
            bits[c] = setup.profile().foldedResidualBits(model.rank(), senders, model.bitsPerParameter());
        }
        return bits;
    }

    private void onReport(Report report) {
        if (buffered != null) {
            buffered.onJobReport(report);
            return;
        }
        if (report.outcome() == DeviceOutcome.AGGREGATED) {
            record(EventRecord.of(nowNs(), EventType.UPLOAD_END, round, report.device(), "payload_bits", payloadBits[report.device()]));
        }
        receive(report);
    }

    private void receive(Report report) {
        reports[report.device()] = report;
        if (report.trainingStream() != null) {
            trainingStreams[report.device()] = report.trainingStream();
        }
        if (++reported == devices) {
            // Every device has reported by the deadline at the latest: aggregate what arrived.
            schedule(VirtualTime.plus(nowNs(), VirtualTime.nanos(scenario.network().aggregationTimeS())),
                    Phase.AGGREGATION, self(), new Aggregated(round));
            record(EventRecord.of(nowNs(), EventType.AGGREGATION_START, round, null, "aggregated", count(DeviceOutcome.AGGREGATED)));
        }
    }

    private void onAggregated(Aggregated aggregated) {
        roundEnergy = 0;
        roundSamples = 0;
        deviceEnergy = new double[devices];
        for (int k = 0; k < devices; k++) {
            DeviceRoundRecord row = deviceRow(k);
            deviceEnergy[k] = row.energyJ();
            roundEnergy += row.energyJ();
            if (row.outcome() == DeviceOutcome.AGGREGATED) {
                roundSamples += setup.fleet().device(k).samples();
            }
            record(row);
        }
        if (cloudTransfers == null) {
            // A flat round is a merge of every device: each downloads what all of them folded.
            lastMergeSenders = count(DeviceOutcome.AGGREGATED);
            mergedBefore = true;
            endRound(aggregateAndEvaluate());
            return;
        }
        aggregateCells();
        if (!merges) {
            mergedBefore = false;
            cellRows.forEach(this::record);
            endRound(cloudMetrics());
            return;
        }
        // Every cell's edge server sends its model to the cloud at once; they share the backhaul's links.
        recordBackhaul("up");
        schedule(VirtualTime.plus(nowNs(), halfTripNs()), Phase.AGGREGATION, self(), new AtCloud(round));
    }

    /** Every cell's transfer starting now, up to the cloud or down from it. */
    private void recordBackhaul(String direction) {
        for (int c = 0; c < cells; c++) {
            record(EventRecord.of(nowNs(), EventType.BACKHAUL_START, round, null, "cell", c, "direction", direction,
                    "payload_bits", cloudTransfers.bits(), "duration_s", cloudTransfers.eachS(c),
                    "route", backhaulRoutes.get(c)));
        }
    }

    /** The longest cell's transfer, one way, in whole nanoseconds: the round reserves twice this for a merge. */
    private long halfTripNs() {
        return VirtualTime.nanos(cloudTransfers.longestS());
    }

    /** Each cell's edge server aggregates its own devices' updates (docs/hierarchy.md), and its row is drafted. */
    private void aggregateCells() {
        roundUpdates = updates();
        cellRows = new ArrayList<>(cells);
        boolean learns = !cellModels.isEmpty() && !setup.replays(round);
        for (int c = 0; c < cells; c++) {
            int[] members = setup.topology().devicesOf(c);
            List<Aggregator.Update> mine = new ArrayList<>();
            for (Aggregator.Update update : roundUpdates) {
                if (setup.topology().servingCell(update.device()) == c) {
                    mine.add(update);
                }
            }
            int aggregated = 0;
            long samples = 0;
            double energy = 0;
            for (int k : members) {
                energy += deviceEnergy[k];
                if (reports[k].outcome() == DeviceOutcome.AGGREGATED) {
                    aggregated++;
                    samples += setup.fleet().device(k).samples();
                }
            }
            aggregatedBefore[c] = aggregated;
            aggregatedSinceMerge[c] += aggregated;
            samplesSinceMerge[c] += samples;
            FederatedRounds.Metrics metrics = FederatedRounds.Metrics.NONE;
            if (learns) {
                FailPoint.reach("aggregation", round);
                cellModels.get(c).aggregate(mine);
                if (setup.evaluates(round)) {
                    metrics = cellModels.get(c).evaluate(members);
                }
            }
            cellRows.add(new CellRoundRecord(round, c, aggregated, samples, energy, false, 0, 0, 0,
                    metrics.trainLoss(), metrics.testLoss(), metrics.testAccuracy()));
        }
    }

    /**
     * The cloud merges the cells' models, each weighted by the samples it aggregated since the last merge. With
     * H = 1 and a built-in rule the cloud aggregates the round's updates at once instead: for exact and
     * zero-fill-mean the same in exact arithmetic, for masked-mean the same weighting entry by entry (each entry by
     * the data that trained it), and the same floats as a flat run (docs/hierarchy.md).
     */
    private void onAtCloud() {
        double[] weights = samplesSinceMerge.clone();
        record(EventRecord.of(nowNs(), EventType.CLOUD_MERGE, round, null, "weights", weights,
                "updates", java.util.Arrays.stream(aggregatedSinceMerge).sum()));
        if (learning.isPresent() && !setup.replays(round)) {
            FailPoint.reach("aggregation", round);
            boolean evaluates = setup.evaluates(round);
            GlobalModel.Aggregated merged = mergeUpdates ? learning.get().aggregateAndEvaluate(roundUpdates, evaluates)
                    : learning.get().mergeAndEvaluate(cellModels, weights, evaluates);
            recordErrors(merged.errors(), mergeUpdates ? roundUpdates.size() : (int) java.util.Arrays.stream(weights)
                    .filter(w -> w > 0).count());
            // Not evaluated here: a later round that is evaluates the merged model then.
            cloudMetrics = evaluates ? merged.metrics() : null;
        } else {
            cloudMetrics = null; // a replayed merge: the live round after it evaluates the restored model
        }
        for (int c = 0; c < cells; c++) {
            CellRoundRecord row = cellRows.get(c);
            cellRows.set(c, new CellRoundRecord(row.round(), c, row.aggregated(), row.samples(), row.energyJ(), true,
                    weights[c], cloudTransfers.eachS(c), cloudTransfers.eachS(c), row.trainLoss(), row.testLoss(),
                    row.testAccuracy()));
        }
        lastMergeSenders = java.util.Arrays.stream(aggregatedSinceMerge).sum();
        java.util.Arrays.fill(samplesSinceMerge, 0);
        java.util.Arrays.fill(aggregatedSinceMerge, 0);
        recordBackhaul("down");
        schedule(VirtualTime.plus(nowNs(), halfTripNs()), Phase.AGGREGATION, self(), new BackAtCells(round));
    }

    /** The merged model is at every cell: each edge server goes on from it, and the round ends. */
    private void onBackAtCells() {
        if (learning.isPresent() && !setup.replays(round)) {
            for (GlobalModel cell : cellModels) {
                cell.adopt(learning.get());
            }
        }
        mergedBefore = true;
        cellRows.forEach(this::record);
        endRound(cloudMetrics());
    }

    /** The cloud model's metrics, evaluated once after each merge (and once before the first). */
    private FederatedRounds.Metrics cloudMetrics() {
        if (learning.isEmpty() || setup.replays(round) || !setup.evaluates(round)) {
            return FederatedRounds.Metrics.NONE;
        }
        if (cloudMetrics == null) {
            cloudMetrics = learning.get().evaluate();
        }
        return cloudMetrics;
    }

    /** The round's rows and events, the final model and a point to resume from where due, and the next round. */
    private void endRound(FederatedRounds.Metrics metrics) {
        double start = VirtualTime.seconds(roundStartNs);
        double end = VirtualTime.seconds(nowNs());
        double meanGamma = java.util.Arrays.stream(plan).filter(DevicePlan::served).mapToDouble(DevicePlan::gamma)
                .average().orElse(Double.NaN);
        double boundValue = cellPlans.stream().mapToDouble(RoundPlan::boundValue).sum();
        double lowerBound = cellPlans.stream().mapToDouble(RoundPlan::lowerBound).sum();
        long iterations = cellPlans.stream().mapToLong(RoundPlan::iterations).sum();
        int unserved = count(DeviceOutcome.UNSERVED);
        record(new RoundRecord(round, start, end, end - start, roundEnergy, devices, count(DeviceOutcome.AGGREGATED),
                count(DeviceOutcome.MISSED_DEADLINE), count(DeviceOutcome.REFUSED_ENERGY), meanGamma, roundSamples,
                boundValue, lowerBound, iterations, unserved, count(DeviceOutcome.OFFLINE), metrics.trainLoss(), metrics.testLoss(),
                metrics.testAccuracy(), metrics.generalisationGap()));
        record(EventRecord.of(nowNs(), EventType.ROUND_END, round, null, "latency_s", end - start, "energy_j", roundEnergy));
        if (learning.isPresent() && round + 1 == scenario.rounds()) {
            record(learning.get().checkpoint(round, scenario.model().rank()));
        }
        checkpointDue |= checkpointEvery > 0 && (round + 1) % checkpointEvery == 0;
        // With a backhaul, a checkpoint due waits for a merge: then every cell holds the cloud's model, the whole state.
        if (checkpointDue && round + 1 < scenario.rounds() && (cloudTransfers == null || merges)) {
            checkpointDue = false;
            // Nothing is in flight between rounds: the whole state that replay cannot recompute is here.
            record(new ResumePoint(round + 1, setup.replays(round) ? java.util.Map.of() : learning.get().state(),
                    trainingStreams));
        }
        if (round + 1 < scenario.rounds()) {
            schedule(nowNs(), Phase.ROUND_START, self(), new StartRound(round + 1));
        }
    }

    /** The updates that arrived this round, in device order. */
    private List<Aggregator.Update> updates() {
        List<Aggregator.Update> updates = new ArrayList<>();
        if (learning.isEmpty() || setup.replays(round)) {
            return updates;
        }
        for (Report report : reports) {
            if (report.outcome() == DeviceOutcome.AGGREGATED && report.trained() != null) {
                updates.add(new Aggregator.Update(report.trained().adapter(), report.masks(),
                        learning.get().samples(report.device()), report.device(), plan[report.device()].gamma()));
            }
        }
        return updates;
    }

    private void recordErrors(List<AggregationError.Layer> errors, int updates) {
        recordErrors(round, errors, updates);
    }

    /** aggregation.csv's rows of an aggregation: the round's, or a buffered run's step's. */
    void recordErrors(int round, List<AggregationError.Layer> errors, int updates) {
        for (AggregationError.Layer layer : errors) {
            record(new AggregationRecord(round, layer.name(), updates, layer.targetChange(),
                    layer.appliedChange(), layer.error(), layer.relativeError(), layer.amplification()));
        }
    }

    /** docs/model.md eq. 4, then the round's metrics (§2); NaN without a workload. */
    private FederatedRounds.Metrics aggregateAndEvaluate() {
        if (learning.isEmpty() || setup.replays(round)) {
            return FederatedRounds.Metrics.NONE;
        }
        List<Aggregator.Update> updates = updates();
        FailPoint.reach("aggregation", round);
        GlobalModel.Aggregated aggregated = learning.get().aggregateAndEvaluate(updates, setup.evaluates(round));
        recordErrors(aggregated.errors(), updates.size());
        return aggregated.metrics();
    }

    private DeviceRoundRecord deviceRow(int k) {
        int cell = setup.topology().servingCell(k);
        return deviceRow(k, reports[k], new Sent(round, plan[k], channel.devices().get(k), downloadS[k], downloadBits[k]
                + residualBits[cell], payloadBits[k], roundStartNs, deadlineNs));
    }

    /**
     * What the base station sent device k, for its row: the plan, the channel the device was planned on, the
     * download (sub-adapter and W0 change) and its time, the upload it was to make, and the job's window.
     */
    record Sent(int round, DevicePlan plan, DeviceChannel seen, double downloadS, double downloadBits,
                        double payloadBits, long startNs, long deadlineNs) {
    }

    DeviceRoundRecord deviceRow(int k, Report report, Sent sent) {
        DevicePlan device = sent.plan();
        // A download cut off by the deadline lasted from the plan to the deadline.
        double download = Math.min(sent.downloadS(), VirtualTime.seconds(sent.deadlineNs() - sent.startNs()));
        DeviceRoundCost.Spent spent = report.spent();
        int cell = setup.topology().servingCell(k);
        Site.BaseStationSite bs = setup.topology().cells().get(cell);
        DeviceChannel seen = sent.seen();
        double x = seen.xM();
        double y = seen.yM();
        double gain = seen.link().firstGain();
        return DeviceRoundRecord.of(
                new DeviceRoundRecord.Place(sent.round(), k, cell, x, y, Math.hypot(x - bs.xM(), y - bs.yM())),
                new DeviceRoundRecord.Allocation(device.gamma(), device.bandwidthHz(), device.powerW(), device.frequencyHz()),
                new DeviceRoundRecord.Link(gain, seen.belief().estimate(),
                        device.served() ? sent.downloadBits() / sent.downloadS() : 0, report.uplinkRateBps(),
                        sent.payloadBits()),
                new DeviceRoundRecord.Spent(download, spent.computeS(), spent.uploadS(), spent.computeEnergyJ(),
                        spent.uploadEnergyJ()),
                new DeviceRoundRecord.Result(report.outcome(),
                        report.trained() == null ? Double.NaN : report.trained().lastEpochLoss(),
                        setup.fleet().device(k).deviceClass(), setup.fleet().device(k).samples()));
    }

    private int count(DeviceOutcome outcome) {
        int n = 0;
        for (Report report : reports) {
            if (report.outcome() == outcome) {
                n++;
            }
        }
        return n;
    }
}
