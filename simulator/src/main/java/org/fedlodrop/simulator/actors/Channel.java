package org.fedlodrop.simulator.actors;

import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.simulator.kernel.SimEvent;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ShadowingRedraw;
import org.fedlodrop.simulator.wireless.Decibels;
import org.fedlodrop.simulator.wireless.Fading;
import org.fedlodrop.simulator.wireless.PathLoss;

/**
 * The radio links of the cell. Each round (one coherence block) it draws every device's gain
 * {@code g_k = 10^(−PL(d_k)/10) · 10^(X_σ/10) · |h_k|²} (MODEL.md eq. 9) and reports it to the
 * base station.
 */
public final class Channel extends SimulatedActor<Channel.Command> {

    public sealed interface Command permits Wake {
    }

    public record Wake(Clock.Delivery delivery) implements Command {
    }

    /** Events the channel accepts. */
    public sealed interface Event extends SimEvent permits Sound {
    }

    /** Draw the gains of a round's coherence block. */
    public record Sound(int round) implements Event {
    }

    private final double[] pathLossDb;
    private final double[] shadowingDb;
    private final SplittableRandom[] shadowingStreams;
    private final SplittableRandom[] fadingStreams;
    private final Fading fading;
    private final double shadowingSigmaDb;
    private final boolean shadowingPerRound;

    private Channel(ActorContext<Command> context, RunSetup setup, ActorRef<Clock.Command> clock) {
        super(context, ActorIds.CHANNEL, clock, Wake::new);
        Scenario.Channel channel = setup.scenario().channel();
        int devices = setup.deviceCount();
        PathLoss pathLoss = PathLoss.of(channel);
        this.fading = Fading.of(channel);
        this.shadowingSigmaDb = channel.shadowingDb();
        this.shadowingPerRound = channel.shadowingRedraw() == ShadowingRedraw.ROUND;
        this.pathLossDb = new double[devices];
        this.shadowingDb = new double[devices];
        this.shadowingStreams = new SplittableRandom[devices];
        this.fadingStreams = new SplittableRandom[devices];
        for (int k = 0; k < devices; k++) {
            pathLossDb[k] = pathLoss.lossDb(setup.topology().distanceM(k));
            shadowingStreams[k] = setup.streams().stream(ActorIds.CHANNEL, "shadowing/" + ActorIds.device(k));
            fadingStreams[k] = setup.streams().stream(ActorIds.CHANNEL, "fading/" + ActorIds.device(k));
            shadowingDb[k] = shadowingSigmaDb * shadowingStreams[k].nextGaussian();
        }
    }

    public static Behavior<Command> create(RunSetup setup, ActorRef<Clock.Command> clock) {
        return Behaviors.setup(context -> new Channel(context, setup, clock));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Wake.class, wake -> onDelivery(wake.delivery())).build();
    }

    @Override
    void handle(SimEvent event) {
        if (event instanceof Sound sound) {
            double[] gains = new double[pathLossDb.length];
            double minDb = Double.POSITIVE_INFINITY;
            double maxDb = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < gains.length; k++) {
                if (shadowingPerRound && sound.round() > 0) {
                    shadowingDb[k] = shadowingSigmaDb * shadowingStreams[k].nextGaussian();
                }
                gains[k] = Decibels.toLinear(shadowingDb[k] - pathLossDb[k]) * fading.powerGain(fadingStreams[k]);
                double db = Decibels.toDb(gains[k]);
                minDb = Math.min(minDb, db);
                maxDb = Math.max(maxDb, db);
            }
            record(EventRecord.of(nowNs(), "channel_sounded", sound.round(), null,
                    "min_gain_db", minDb, "max_gain_db", maxDb));
            schedule(nowNs(), Phase.SOUNDING, ActorIds.BASE_STATION, new BaseStation.ChannelState(sound.round(), gains));
        } else {
            throw new IllegalArgumentException("channel cannot handle " + event);
        }
    }
}
