package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;
import org.fedlodrop.simulator.kernel.SimulatedActor;
import org.fedlodrop.simulator.kernel.Phase;

import org.fedlodrop.simulator.kernel.ActorIds;
import org.fedlodrop.simulator.setup.RunSetup;
import org.fedlodrop.simulator.setup.RadioModels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.kernel.Target;
import org.fedlodrop.simulator.kernel.VirtualTime;
import org.fedlodrop.simulator.scenario.MobilityModel;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ShadowingRedraw;
import org.fedlodrop.simulator.topology.DeviceMobility;
import org.fedlodrop.simulator.topology.Site;
import org.fedlodrop.simulator.wireless.ChannelEstimates;
import org.fedlodrop.simulator.wireless.Decibels;
import org.fedlodrop.simulator.wireless.Fading;
import org.fedlodrop.simulator.wireless.FadingPower;
import org.fedlodrop.simulator.wireless.GainBelief;
import org.fedlodrop.simulator.wireless.LinkTimeline;
import org.fedlodrop.simulator.wireless.PathLoss;
import org.fedlodrop.simulator.wireless.ShadowingField;

/**
 * The radio links of every cell (docs/model.md §3, eq. 9; docs/wireless.md). At the start of each round
 * it moves the devices, updates shadowing and line of sight, draws the small-scale fading of every
 * coherence block up to the round's deadline, and reports to the base station both the true gains
 * (which set the realised rates) and the estimates the planner may see.
 */
public final class Channel extends SimulatedActor<Channel.Command, Channel.Event> {
    public static final Target<Event> TARGET = new Target<>(ActorIds.CHANNEL);

    public sealed interface Command permits Wake {
    }

    public record Wake(Clock.Delivery delivery) implements Command {
    }

    /** What the channel handles; each event names its handler. */
    public sealed interface Event extends SimEvent permits Sound {
        void deliverTo(Channel channel);
    }

    /** Draw the gains of a round, whose transmissions end by {@code deadlineNs}. */
    public record Sound(int round, long deadlineNs) implements Event {
        @Override
        public void deliverTo(Channel channel) {
            channel.onSound(this);
        }
    }

    private final RunSetup setup;
    private final Scenario.Channel settings;
    private final PathLoss pathLoss;
    private final Fading fading;
    private final int devices;
    private final double minDistanceM;
    private final DeviceMobility[] motion;
    private final double[] shadowingDb;
    private final double[] losDraw;
    private final SplittableRandom[] shadowingStreams;
    private final SplittableRandom[] fadingStreams;
    /** What the planner sees of the channel (CSI). */
    private final ChannelEstimates estimates;
    /** Per device: index of the next coherence block whose fading is not drawn yet, and the last drawn. */
    private final long[] nextBlock;
    private final double[] lastFading;
    private long lastMoveNs;

    private Channel(ActorContext<Command> context, RunSetup setup, ActorRef<Clock.Command> clock) {
        super(context, TARGET, Event.class, clock, Wake::new, Clock.Reach.to(ActorIds.BASE_STATION));
        this.setup = setup;
        this.settings = setup.scenario().channel();
        this.pathLoss = setup.pathLoss();
        this.fading = RadioModels.fading(setup.scenario(), setup.extensions());
        this.devices = setup.deviceCount();
        this.minDistanceM = setup.scenario().topology().minDistanceM();
        this.motion = new DeviceMobility[devices];
        this.shadowingDb = new double[devices];
        this.losDraw = new double[devices];
        this.shadowingStreams = new SplittableRandom[devices];
        this.fadingStreams = new SplittableRandom[devices];
        SplittableRandom[] csiStreams = new SplittableRandom[devices];
        this.nextBlock = new long[devices];
        this.lastFading = new double[devices];
        for (int k = 0; k < devices; k++) {
            int cell = setup.topology().servingCell(k);
            Site.BaseStationSite bs = setup.topology().cells().get(cell);
            Site.DeviceSite site = setup.topology().devices().get(k);
            String device = ActorIds.device(k);
            motion[k] = new DeviceMobility(setup.scenario(), bs.xM(), bs.yM(), site.xM(), site.yM(),
                    setup.streams().stream(ActorIds.CHANNEL, "mobility/" + device));
            shadowingDb[k] = setup.shadowingDb()[cell][k];
            losDraw[k] = setup.losDraws()[cell][k];
            shadowingStreams[k] = setup.streams().stream(ActorIds.CHANNEL, "shadowing/" + device);
            fadingStreams[k] = setup.streams().stream(ActorIds.CHANNEL, "fading/" + device);
            csiStreams[k] = setup.streams().stream(ActorIds.CHANNEL, "csi/" + device);
        }
        Scenario.Csi csi = setup.scenario().csi();
        // Trace gains and flat fading have no random small-scale part to be wrong about.
        FadingPower prior = fading == null ? new FadingPower.Known(1) : fading.power();
        long blockNs = settings.coherenceS() == 0 ? 0 : Math.max(1, VirtualTime.nanos(settings.coherenceS()));
        this.estimates = new ChannelEstimates(csi.model(), csi.errorVariance(), prior, blockNs, csiStreams);
    }

    public static Behavior<Command> create(RunSetup setup, ActorRef<Clock.Command> clock) {
        return Behaviors.setup(context -> new Channel(context, setup, clock));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Wake.class, wake -> onDelivery(wake.delivery())).build();
    }

    @Override
    protected void handle(Event event) {
        event.deliverTo(this);
    }

    private void onSound(Sound sound) {
        int round = sound.round();
        double[] moved = move();
        updateShadowing(round, moved);
        LinkTimeline[] links = new LinkTimeline[devices];
        double[] trueGains = new double[devices];
        double minDb = Double.POSITIVE_INFINITY;
        double maxDb = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < devices; k++) {
            links[k] = timeline(k, round, sound.deadlineNs());
            trueGains[k] = links[k].firstGain();
            double db = Decibels.toDb(trueGains[k]);
            minDb = Math.min(minDb, db);
            maxDb = Math.max(maxDb, db);
        }
        double[] largeScale = new double[devices];
        for (int k = 0; k < devices; k++) {
            largeScale[k] = largeScaleOf(trueGains[k], k);
        }
        List<GainBelief> beliefs = estimates.sound(nowNs(), trueGains, largeScale, links);
        record(EventRecord.of(nowNs(), EventType.CHANNEL_SOUNDED, round, null, "min_gain_db", minDb, "max_gain_db", maxDb,
                "blocks", links[0].blocks()));
        List<BaseStation.DeviceChannel> state = new ArrayList<>(devices);
        for (int k = 0; k < devices; k++) {
            state.add(new BaseStation.DeviceChannel(links[k], beliefs.get(k), motion[k].x(), motion[k].y()));
        }
        schedule(nowNs(), Phase.SOUNDING, BaseStation.TARGET, new BaseStation.ChannelState(round, state));
    }

    /** Moves every device for the time since the last round; returns the distances travelled. */
    private double[] move() {
        double[] moved = new double[devices];
        if (setup.scenario().mobility().model() != MobilityModel.NONE) {
            double seconds = VirtualTime.seconds(nowNs() - lastMoveNs);
            for (int k = 0; k < devices; k++) {
                moved[k] = motion[k].advance(seconds);
            }
        }
        lastMoveNs = nowNs();
        return moved;
    }

    private void updateShadowing(int round, double[] moved) {
        if (round == 0) {
            return;
        }
        double sigma = settings.shadowingDb();
        if (settings.shadowingRedraw() == ShadowingRedraw.ROUND) {
            for (int k = 0; k < devices; k++) {
                shadowingDb[k] = sigma * shadowingStreams[k].nextGaussian();
            }
        } else {
            for (int k = 0; k < devices; k++) {
                if (moved[k] > 0) {
                    shadowingDb[k] = ShadowingField.evolve(shadowingDb[k], moved[k], sigma,
                            settings.shadowingCorrelationM(), shadowingStreams[k]);
                }
            }
        }
    }

    /** The true gain of device k's serving link in every coherence block from now to the deadline. */
    private LinkTimeline timeline(int k, int round, long deadlineNs) {
        if (settings.traced()) {
            return LinkTimeline.constant(setup.trace().orElseThrow().gain(round, k));
        }
        Site.BaseStationSite cell = setup.topology().cells().get(setup.topology().servingCell(k));
        double d = RunSetup.distance(cell.xM(), cell.yM(), motion[k].x(), motion[k].y(), minDistanceM);
        double largeScale = Decibels.toLinear(pathLoss.largeScaleGainDb(d, shadowingDb[k], losDraw[k]));
        if (settings.coherenceS() == 0) {
            // One coherence block per round.
            return LinkTimeline.constant(largeScale * fading.powerGain(fadingStreams[k]));
        }
        long blockNs = Math.max(1, VirtualTime.nanos(settings.coherenceS()));
        long first = nowNs() / blockNs;
        long last = Math.max(first, deadlineNs / blockNs);
        double[] gains = new double[(int) (last - first + 1)];
        for (long b = first; b <= last; b++) {
            // Blocks between rounds are drawn too, so a block's fading does not depend on when rounds fall.
            while (nextBlock[k] <= b) {
                lastFading[k] = fading.powerGain(fadingStreams[k]);
                nextBlock[k]++;
            }
            gains[(int) (b - first)] = largeScale * lastFading[k];
        }
        return new LinkTimeline(first * blockNs, blockNs, gains);
    }

    private double largeScaleOf(double gain, int k) {
        if (settings.traced()) {
            return gain;
        }
        Site.BaseStationSite cell = setup.topology().cells().get(setup.topology().servingCell(k));
        double d = RunSetup.distance(cell.xM(), cell.yM(), motion[k].x(), motion[k].y(), minDistanceM);
        return Decibels.toLinear(pathLoss.largeScaleGainDb(d, shadowingDb[k], losDraw[k]));
    }
}
