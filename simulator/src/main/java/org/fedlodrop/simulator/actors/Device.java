package org.fedlodrop.simulator.actors;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.cost.DeviceRoundCost;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.VirtualTime;
import org.fedlodrop.simulator.planning.DevicePlan;
import org.fedlodrop.simulator.wireless.LinkTimeline;
import org.fedlodrop.simulator.wireless.RadioSettings;

/**
 * A device: on a sub-adapter it computes until {@code t + T^cmp}, then uploads (MODEL.md §4). It
 * refuses work its energy budget cannot pay, and stops at the deadline that the base station
 * announced, reporting what it spent either way.
 */
public final class Device extends SimulatedActor<Device.Command> {

    public sealed interface Command permits Wake {
    }

    public record Wake(Clock.Delivery delivery) implements Command {
    }

    public sealed interface Event extends SimEvent permits SubAdapterArrived, ComputeDone, Stop {
    }

    /**
     * The download of a sub-adapter ended, or was cut off by the deadline.
     *
     * @param link       the serving link's true gain over the round's coherence blocks
     * @param downloadS  how long the download took
     * @param downloaded whether the whole sub-adapter arrived (false: the deadline came first)
     */
    public record SubAdapterArrived(int round, DevicePlan plan, double payloadBits, LinkTimeline link, double downloadS,
                                    long deadlineNs, boolean downloaded) implements Event {
    }

    /** Local training of the round is done; the upload starts. */
    public record ComputeDone(int round) implements Event {
    }

    /** The deadline came before the work was done. */
    public record Stop(int round) implements Event {
    }

    private final int index;
    private final RadioSettings radio;
    private final ComputeLoad load;
    private final int localEpochs;
    private final long samples;
    private final double kappa;
    private final double energyBudgetJ;
    private Work work;

    /** The round in progress. */
    private record Work(SubAdapterArrived order, DeviceRoundCost cost, long arrivalNs, long computeEndNs, long uploadEndNs) {
    }

    private Device(ActorContext<Command> context, RunSetup setup, int index, ActorRef<Clock.Command> clock) {
        super(context, ActorIds.device(index), clock, Wake::new);
        this.index = index;
        this.radio = setup.radio();
        this.load = setup.computeLoad();
        this.localEpochs = setup.scenario().training().localEpochs();
        this.samples = setup.scenario().data().samplesPerDevice();
        this.kappa = setup.scenario().devices().kappa();
        this.energyBudgetJ = setup.scenario().budgets().energyJ();
    }

    public static Behavior<Command> create(RunSetup setup, int index, ActorRef<Clock.Command> clock) {
        return Behaviors.setup(context -> new Device(context, setup, index, clock));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Wake.class, wake -> onDelivery(wake.delivery())).build();
    }

    @Override
    void handle(SimEvent event) {
        if (event instanceof SubAdapterArrived arrived) {
            onArrived(arrived);
        } else if (event instanceof ComputeDone done) {
            onComputeDone(done);
        } else if (event instanceof Stop stop) {
            onStop(stop);
        } else {
            throw new IllegalArgumentException(id() + " cannot handle " + event);
        }
    }

    private void onArrived(SubAdapterArrived order) {
        int round = order.round();
        if (!order.downloaded()) {
            record(EventRecord.of(nowNs(), "deadline_missed", round, index, "stage", "download"));
            report(order, DeviceOutcome.MISSED_DEADLINE, new DeviceRoundCost.Spent(0, 0, 0, 0), 0);
            return;
        }
        DevicePlan plan = order.plan();
        double cycles = load.cycles(localEpochs, samples, plan.gamma());
        long computeEndNs = VirtualTime.plus(nowNs(), VirtualTime.nanos(cycles / plan.frequencyHz()));
        double uploadS = order.link().transmissionS(computeEndNs, order.payloadBits(),
                gain -> radio.rateBps(plan.bandwidthHz(), plan.powerW(), gain));
        DeviceRoundCost cost = DeviceRoundCost.fromDurations(order.payloadBits(), order.downloadS(), uploadS,
                plan.powerW(), plan.frequencyHz(), cycles, kappa);
        record(EventRecord.of(nowNs(), "download_end", round, index, "payload_bits", order.payloadBits()));
        if (cost.energyJ() > energyBudgetJ) {
            record(EventRecord.of(nowNs(), "energy_refused", round, index,
                    "energy_needed_j", cost.energyJ(), "energy_budget_j", energyBudgetJ));
            report(order, DeviceOutcome.REFUSED_ENERGY, new DeviceRoundCost.Spent(0, 0, 0, 0), cost.uplinkRateBps());
            return;
        }
        long computeEnd = VirtualTime.plus(nowNs(), VirtualTime.nanos(cost.computeS()));
        long uploadEnd = VirtualTime.plus(computeEnd, VirtualTime.nanos(cost.uploadS()));
        work = new Work(order, cost, nowNs(), computeEnd, uploadEnd);
        if (computeEnd <= order.deadlineNs()) {
            schedule(computeEnd, Phase.COMPUTE, id(), new ComputeDone(round));
        } else {
            schedule(order.deadlineNs(), Phase.COMPUTE, id(), new Stop(round));
        }
    }

    private void onComputeDone(ComputeDone done) {
        record(EventRecord.of(nowNs(), "compute_end", done.round(), index, "cycles", work.cost().cycles()));
        if (work.uploadEndNs() <= work.order().deadlineNs()) {
            DeviceRoundCost cost = work.cost();
            DeviceRoundCost.Spent spent = new DeviceRoundCost.Spent(cost.computeS(), cost.uploadS(),
                    cost.computeEnergyJ(), cost.uploadEnergyJ());
            scheduleReport(work.uploadEndNs(), work.order(), DeviceOutcome.AGGREGATED, spent, cost.uplinkRateBps());
            work = null;
        } else {
            schedule(work.order().deadlineNs(), Phase.COMPUTE, id(), new Stop(done.round()));
        }
    }

    private void onStop(Stop stop) {
        String stage = nowNs() < work.computeEndNs() ? "compute" : "upload";
        record(EventRecord.of(nowNs(), "deadline_missed", stop.round(), index, "stage", stage));
        DeviceRoundCost.Spent spent = work.cost().stoppedAfter(VirtualTime.seconds(nowNs() - work.arrivalNs()));
        report(work.order(), DeviceOutcome.MISSED_DEADLINE, spent, work.cost().uplinkRateBps());
        work = null;
    }

    private void report(SubAdapterArrived order, DeviceOutcome outcome, DeviceRoundCost.Spent spent, double uplinkRateBps) {
        scheduleReport(nowNs(), order, outcome, spent, uplinkRateBps);
    }

    private void scheduleReport(long atNs, SubAdapterArrived order, DeviceOutcome outcome, DeviceRoundCost.Spent spent,
                                double uplinkRateBps) {
        schedule(atNs, Phase.UPLOAD, ActorIds.BASE_STATION,
                new BaseStation.Report(order.round(), index, outcome, spent, uplinkRateBps));
    }
}
