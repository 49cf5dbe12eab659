package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.SimulatedActor;
import org.fedlodrop.simulator.kernel.Phase;

import org.fedlodrop.simulator.kernel.ActorIds;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.planning.DevicePlan;
import org.fedlodrop.simulator.planning.RoundPlan;
import org.fedlodrop.simulator.planning.RoundPlanner;

/** Owns the optimisation problem: answers each round's request with a {@link RoundPlan} (docs/model.md §5). */
public final class Planner extends SimulatedActor<Planner.Command, Planner.Event> {
    public static final Target<Event> TARGET = new Target<>(ActorIds.PLANNER);

    public sealed interface Command permits Wake {
    }

    public record Wake(Clock.Delivery delivery) implements Command {
    }

    /** What the planner handles; each event names its handler. */
    public sealed interface Event extends SimEvent permits PlanRound {
        void deliverTo(Planner planner);
    }

    /**
     * Plan a cell's round on the channel gains the planner is to plan on, one per device; {@code residualBits}: the
     * bits of W0 change each device will download besides its sub-adapter under {@code exact} aggregation, as the
     * base station knows them when it asks (what it folded the round before; in a buffered run since the device
     * last started, docs/buffered.md).
     */
    public record PlanRound(int round, int cell, List<Integer> devices, List<Double> gains, double bandwidthHz,
                            List<Double> residualBits) implements Event {
        public PlanRound {
            devices = List.copyOf(devices);
            gains = List.copyOf(gains);
            residualBits = List.copyOf(residualBits);
            if (devices.size() != gains.size() || residualBits.size() != devices.size()) {
                throw new IllegalArgumentException("one gain and one W0 change per device");
            }
        }

        @Override
        public void deliverTo(Planner planner) {
            planner.onPlanRound(this);
        }
    }

    private final RoundPlanner planner;
    /** Where a round's cells are planned side by side (the run's worker pool, idle while planning). */
    private final Executor cells;
    /** Plans made ahead for the requests of the window being handled, by request. */
    private final Map<PlanRound, RoundPlan> planned = new IdentityHashMap<>();

    private Planner(ActorContext<Command> context, RoundPlanner planner, ActorRef<Clock.Command> clock, Executor cells) {
        super(context, TARGET, Event.class, clock, Wake::new, Clock.Reach.to(ActorIds.BASE_STATION));
        this.planner = planner;
        this.cells = cells;
    }

    /**
     * @param cells where a round's cells are planned at once when the planner allows it
     *              ({@link RoundPlanner#plansCellsIndependently}); the plans and records are the same as
     *              one cell after another, on any number of threads
     */
    public static Behavior<Command> create(RoundPlanner planner, ActorRef<Clock.Command> clock, Executor cells) {
        return Behaviors.setup(context -> new Planner(context, planner, clock, cells));
    }

    /**
     * A window holding several cells' requests (a round's start) has them planned at once on the pool,
     * then handled in the window's order as ever, each taking its plan from here: the only change is
     * in wall time (docs/planner.md, Speed).
     */
    @Override
    protected Behavior<Command> onDelivery(Clock.Delivery delivery) {
        if (planner.plansCellsIndependently()) {
            List<PlanRound> requests = new ArrayList<>();
            for (ScheduledEvent scheduled : delivery.scheduled()) {
                if (scheduled.event() instanceof PlanRound request) {
                    requests.add(request);
                }
            }
            // A cell planned twice in one window (a buffered run's jobs starting at one instant) depends on its own
            // first plan: such a window is planned one request after another.
            boolean distinctCells = requests.stream().map(PlanRound::cell).distinct().count() == requests.size();
            if (requests.size() > 1 && distinctCells) {
                List<CompletableFuture<RoundPlan>> plans = new ArrayList<>(requests.size());
                for (PlanRound request : requests) {
                    plans.add(CompletableFuture.supplyAsync(() -> plan(request), cells));
                }
                for (int i = 0; i < requests.size(); i++) {
                    try {
                        planned.put(requests.get(i), plans.get(i).join());
                    } catch (CompletionException failed) {
                        // As if planned here: the planner's own exception, for the guardian to report.
                        throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
                    }
                }
            }
        }
        return super.onDelivery(delivery);
    }

    private RoundPlan plan(PlanRound request) {
        int[] devices = request.devices().stream().mapToInt(Integer::intValue).toArray();
        double[] gains = request.gains().stream().mapToDouble(Double::doubleValue).toArray();
        return planner.plan(request.round(), request.cell(), devices, gains, request.bandwidthHz(),
                request.residualBits().stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Wake.class, wake -> onDelivery(wake.delivery())).build();
    }

    @Override
    protected void handle(Event event) {
        event.deliverTo(this);
    }

    private void onPlanRound(PlanRound request) {
        RoundPlan ahead = planned.remove(request);
        RoundPlan plan = ahead != null ? ahead : plan(request);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (int i = 0; i < plan.devices().size(); i++) {
            DevicePlan device = plan.devices().get(i);
            List<Object> details = new ArrayList<>(List.of("device", device.device(), "served", device.served(),
                    "planned_gain", request.gains().get(i), "gamma", device.gamma(), "bandwidth_hz", device.bandwidthHz(),
                    "power_w", device.powerW(), "frequency_hz", device.frequencyHz()));
            if (device.bits() > 0) {
                details.addAll(List.of("bits", device.bits())); // only where the plan chose the width (model.bit_widths)
            }
            devices.add(EventRecord.details(details.toArray()));
        }
        record(EventRecord.of(nowNs(), EventType.PLAN, request.round(), null, "cell", plan.cell(),
                "solver", plan.solver(), "mean_gamma", plan.meanGamma(), "bandwidth_hz", plan.bandwidthSumHz(),
                "bound_value", plan.boundValue(), "lower_bound", plan.lowerBound(), "iterations", plan.iterations(),
                "unserved", plan.unservedCount(), "reasons", plan.reasons(), "devices", devices));
        if (!plan.reasons().isEmpty()) {
            record(EventRecord.of(nowNs(), EventType.PLAN_INFEASIBLE, request.round(), null, "cell", plan.cell(),
                    "unserved", plan.unservedCount(), "reasons", plan.reasons()));
        }
        schedule(nowNs(), Phase.PLANNING, BaseStation.TARGET, new BaseStation.PlanReady(plan));
    }
}
