package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.SimulatedActor;
import org.fedlodrop.simulator.kernel.Phase;

import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.learning.TrainingCohorts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.cost.DeviceRoundCost;
import org.fedlodrop.simulator.kernel.ResumableStream;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.Target;
import org.fedlodrop.simulator.kernel.VirtualTime;
import org.fedlodrop.simulator.learning.LearningTask;
import org.fedlodrop.simulator.planning.DevicePlan;
import org.fedlodrop.simulator.wireless.LinkTimeline;
import org.fedlodrop.simulator.wireless.RadioSettings;
import org.fedlodrop.models.net.StochasticQuantiser;
import org.fedlodrop.simulator.kernel.RandomStreams;

/**
 * A device: on a sub-adapter it computes until {@code t + T^cmp}, then uploads (docs/model.md §4). It
 * refuses work its energy budget cannot pay, and stops at the deadline that the base station
 * announced, reporting what it spent either way.
 */
public final class Device extends SimulatedActor<Device.Command, Device.Event> {

    public sealed interface Command permits Wake, Trained, Activate {
    }

    /**
     * Starts a device that lives as a sharded entity: the first message creates it, and it then
     * registers with the clock like any other. Nothing else to do.
     */
    public record Activate() implements Command {
    }

    public record Wake(Clock.Delivery delivery) implements Command {
    }

    /** Local training, run on the pool, has finished (or failed). */
    private record Trained(int round, LocalTrainer.Outcome outcome, Throwable failure) implements Command {
    }

    /**
     * The sub-adapter to train when the run has a workload: the model to train it on (the global one,
     * W0 as folded so far, rescaled for γ if asked), the global adapter and this device's masks. The model
     * does not travel to another cluster member: a device there trains on its member's own copy of the
     * base, the same from the scenario and seed (sharded learning runs leave W0 as it is). {@code progressRound}: where
     * the run's learning-rate schedule stands, the round (the server step of a buffered run) the model is from.
     */
    public record SubAdapter(@JsonIgnore Classifier model, Adapter global, List<LoraMask> masks, int progressRound) {
        public SubAdapter {
            masks = List.copyOf(masks);
        }
    }

    /** The address of device {@code index}. */
    public static Target<Event> target(int index) {
        return new Target<>(ActorIds.device(index));
    }

    /** What a device handles; each event names its handler. */
    public sealed interface Event extends SimEvent permits SubAdapterArrived, ComputeDone, Stop {
        void deliverTo(Device device);
    }

    /**
     * The download of a sub-adapter ended, or was cut off by the deadline.
     *
     * @param payloadBits  what the device will upload (eq. 5: below 32 bits its LoRA entries rounded)
     * @param downloadBits what it downloaded besides the W0 change (unrounded unless model.round_download)
     * @param link       the serving link's true gain over the round's coherence blocks
     * @param downloadS  how long the download took
     * @param downloaded whether the whole sub-adapter arrived (false: the deadline came first)
     * @param subAdapter what to train, or null without a workload
     */
    public record SubAdapterArrived(int round, DevicePlan plan, double payloadBits, double downloadBits,
                                    LinkTimeline link, double downloadS,
                                    long deadlineNs, boolean downloaded, SubAdapter subAdapter) implements Event {
        @Override
        public void deliverTo(Device device) {
            device.onArrived(this);
        }

        /** A sub-adapter that arrived is queued for training with the round's cohorts. */
        @Override
        public boolean feedsCohorts() {
            return downloaded && subAdapter != null;
        }
    }

    /** Local training of the round is done; the upload starts. */
    public record ComputeDone(int round) implements Event {
        @Override
        public void deliverTo(Device device) {
            device.onComputeDone(this);
        }
    }

    /** The deadline came before the work was done. */
    public record Stop(int round) implements Event {
        @Override
        public void deliverTo(Device device) {
            device.onStop(this);
        }
    }

    private final int index;
    private final RadioSettings radio;
    private final ComputeLoad load;
    private final int localEpochs;
    private final long samples;
    private final double kappa;
    private final double energyBudgetJ;
    private final Optional<LearningTask> learning;
    private final TrainingCohorts cohorts;
    /** Local training's draws; its position goes with every report, for the base station's checkpoints. */
    private final ResumableStream trainingRandom;
    /** How the trained sub-adapter travels: at model.bits_per_parameter (stochastic rounding below 32). */
    private final StochasticQuantiser upload;
    private final RandomStreams streams;
    private final boolean coupled;
    private final boolean rescale;
    /** The run's rounds: the learning-rate schedule spans them. */
    private final int rounds;
    private Work work;

    /** The round in progress; {@code training} is null without a workload. */
    private record Work(SubAdapterArrived order, DeviceRoundCost cost, long arrivalNs, long computeEndNs, long uploadEndNs,
                        CompletableFuture<LocalTrainer.Outcome> training) {
    }

    private Device(ActorContext<Command> context, RunSetup setup, int index, ActorRef<Clock.Command> clock,
                   TrainingCohorts cohorts) {
        super(context, target(index), Event.class, clock, Wake::new, Clock.Reach.to(ActorIds.BASE_STATION)
                .coupled(coupled(setup, cohorts)));
        this.learning = setup.learning();
        this.cohorts = cohorts;
        this.coupled = coupled(setup, cohorts);
        this.rescale = setup.scenario().dropout().rescale();
        this.rounds = setup.scenario().rounds();
        this.trainingRandom = setup.trainingStream(index);
        this.upload = new StochasticQuantiser(Math.min(StochasticQuantiser.FULL_PRECISION,
                setup.scenario().model().bitsPerParameter()));
        this.streams = setup.streams();
        this.index = index;
        this.radio = setup.radio();
        this.load = setup.computeLoad(index);
        var profile = setup.fleet().device(index);
        this.localEpochs = profile.localEpochs();
        this.samples = profile.samples();
        this.kappa = profile.kappa();
        this.energyBudgetJ = profile.energyBudgetJ();
    }

    public static Behavior<Command> create(RunSetup setup, int index, ActorRef<Clock.Command> clock,
                                           TrainingCohorts cohorts) {
        return Behaviors.setup(context -> new Device(context, setup, index, clock, cohorts));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Wake.class, wake -> onDelivery(wake.delivery()))
                .onMessage(Trained.class, this::onTrained)
                .onMessage(Activate.class, activate -> this)
                .build();
    }

    @Override
    protected void handle(Event event) {
        event.deliverTo(this);
    }

    /** Whether which devices train together depends on when the others' downloads end. */
    private static boolean coupled(RunSetup setup, TrainingCohorts cohorts) {
        return setup.learning().isPresent() && cohorts.size() > 1;
    }

    /**
     * Training starts, in cohorts, when the first device needs a result, with everything queued before
     * (TrainingCohorts): not before every download ending earlier has been handled.
     */
    @Override
    protected boolean mayHandle(Event event, long timeNs) {
        return !(coupled && event instanceof ComputeDone && work != null && work.training() != null
                && timeNs > cohortHorizonNs());
    }

    private void onArrived(SubAdapterArrived order) {
        int round = order.round();
        if (!order.downloaded()) {
            record(EventRecord.of(nowNs(), EventType.DEADLINE_MISSED, round, index, "stage", "download"));
            report(order, DeviceOutcome.MISSED_DEADLINE, DeviceRoundCost.Spent.NONE, 0);
            return;
        }
        DevicePlan plan = order.plan();
        double cycles = load.cycles(localEpochs, samples, plan.gamma());
        long computeEndNs = VirtualTime.plus(nowNs(), VirtualTime.nanos(cycles / plan.frequencyHz()));
        double uploadS = order.link().transmissionS(computeEndNs, order.payloadBits(),
                gain -> radio.rateBps(plan.bandwidthHz(), plan.powerW(), gain));
        DeviceRoundCost cost = DeviceRoundCost.fromDurations(order.payloadBits(), order.downloadS(), uploadS,
                plan.powerW(), plan.frequencyHz(), cycles, kappa);
        record(EventRecord.of(nowNs(), EventType.DOWNLOAD_END, round, index, "payload_bits", order.downloadBits()));
        if (cost.energyJ() > energyBudgetJ) {
            record(EventRecord.of(nowNs(), EventType.ENERGY_REFUSED, round, index,
                    "energy_needed_j", cost.energyJ(), "energy_budget_j", energyBudgetJ));
            report(order, DeviceOutcome.REFUSED_ENERGY, DeviceRoundCost.Spent.NONE, cost.uplinkRateBps());
            return;
        }
        long computeEnd = VirtualTime.plus(nowNs(), VirtualTime.nanos(cost.computeS()));
        long uploadEnd = VirtualTime.plus(computeEnd, VirtualTime.nanos(cost.uploadS()));
        CompletableFuture<LocalTrainer.Outcome> training = null;
        if (order.subAdapter() != null && computeEnd <= order.deadlineNs()) {
            // Real training runs on the pool, with the round's other devices (TrainingCohorts), while virtual
            // time goes on; its result is needed at computeEnd.
            LearningTask task = learning.orElseThrow();
            SubAdapter sub = order.subAdapter();
            Classifier model = sub.model() != null ? sub.model() : FederatedRounds.trainingModel(task.model(), rescale, plan.gamma());
            training = cohorts.queue(index, nowNs(), computeEnd, model, new LocalTrainer.Job(sub.global(), sub.masks(),
                    task.local().get(index), task.training().withEpochs(localEpochs), trainingRandom,
                    new LocalTrainer.Progress(sub.progressRound(), rounds)).with(task.frozen()));
        }
        work = new Work(order, cost, nowNs(), computeEnd, uploadEnd, training);
        if (computeEnd <= order.deadlineNs()) {
            schedule(computeEnd, Phase.COMPUTE, self(), new ComputeDone(round));
        } else {
            schedule(order.deadlineNs(), Phase.COMPUTE, self(), new Stop(round));
        }
    }

    private void onComputeDone(ComputeDone done) {
        if (work.training() != null) {
            cohorts.start(index, nowNs());
        }
        if (work.training() != null && !work.training().isDone()) {
            // Virtual time may not pass the end of computing before the real training is done.
            suspend();
            getContext().pipeToSelf(work.training(), (outcome, failure) -> new Trained(done.round(), outcome, failure));
            return;
        }
        finishComputing(done.round(), work.training() == null ? null : work.training().join());
    }

    private Behavior<Command> onTrained(Trained trained) {
        if (trained.failure() != null) {
            throw new IllegalStateException(id() + ": local training failed", trained.failure());
        }
        finishComputing(trained.round(), trained.outcome());
        return resume();
    }

    private void finishComputing(int round, LocalTrainer.Outcome trained) {
        record(EventRecord.of(nowNs(), EventType.COMPUTE_END, round, index, "cycles", work.cost().cycles()));
        if (work.uploadEndNs() <= work.order().deadlineNs()) {
            DeviceRoundCost cost = work.cost();
            DeviceRoundCost.Spent spent = new DeviceRoundCost.Spent(cost.computeS(), cost.uploadS(),
                    cost.computeEnergyJ(), cost.uploadEnergyJ());
            List<LoraMask> masks = work.order().subAdapter() == null ? null : work.order().subAdapter().masks();
            schedule(work.uploadEndNs(), Phase.UPLOAD, BaseStation.TARGET, new BaseStation.Report(round, index,
                    DeviceOutcome.AGGREGATED, spent, cost.uplinkRateBps(), uploaded(round, trained, masks), masks,
                    trainingRandom.position()));
            work = null;
        } else {
            schedule(work.order().deadlineNs(), Phase.COMPUTE, self(), new Stop(round));
        }
    }

    /**
     * The trained sub-adapter as the server receives it: below 32 bits per parameter rounded stochastically
     * (StochasticQuantiser), from a stream of this device and round alone, so that no other draw moves.
     */
    private LocalTrainer.Outcome uploaded(int round, LocalTrainer.Outcome trained, List<LoraMask> masks) {
        StochasticQuantiser quantiser = work == null || work.order().plan().bits() == 0 ? upload
                : new StochasticQuantiser(work.order().plan().bits());
        if (trained == null || masks == null || quantiser.exact()) {
            return trained;
        }
        return new LocalTrainer.Outcome(quantiser.quantise(trained.adapter(), masks,
                streams.stream(ActorIds.device(index), "upload-" + round)), trained.lastEpochLoss());
    }

    private void onStop(Stop stop) {
        String stage = nowNs() < work.computeEndNs() ? "compute" : "upload";
        record(EventRecord.of(nowNs(), EventType.DEADLINE_MISSED, stop.round(), index, "stage", stage));
        DeviceRoundCost.Spent spent = work.cost().stoppedAfter(VirtualTime.seconds(nowNs() - work.arrivalNs()));
        report(work.order(), DeviceOutcome.MISSED_DEADLINE, spent, work.cost().uplinkRateBps());
        work = null;
    }

    /** A report that carries no trained sub-adapter: a miss or a refusal, now. */
    private void report(SubAdapterArrived order, DeviceOutcome outcome, DeviceRoundCost.Spent spent, double uplinkRateBps) {
        schedule(nowNs(), Phase.UPLOAD, BaseStation.TARGET,
                new BaseStation.Report(order.round(), index, outcome, spent, uplinkRateBps, null, null,
                        trainingRandom.position()));
    }
}
