package org.fedlodrop.simulator.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.simulator.actors.Simulation;

/**
 * What Pekko's messages alone cost the kernel's pattern: the windows of an actor run replayed with empty
 * handlers. A coordinator, as the clock, tells each actor that a window delivered to one message and waits
 * for all their answers before the next window; each actor answers at once. No events, records, queues or
 * planning: the time is a floor under any kernel that keeps one actor per device and one delivery and
 * acknowledgement per actor and window, on this machine with these threads (issue 32).
 */
public final class MessageFloor {
    private MessageFloor() {
    }

    private record Wake(ActorRef<Answer> replyTo) {
    }

    private sealed interface Command permits Begin, Answer {
    }

    private record Begin(CompletableFuture<Replay> done) implements Command {
    }

    /** One replay: its wall time and the answers the coordinator received (one per message it sent). */
    public record Replay(double seconds, long answers) {
    }

    private record Answer() implements Command {
    }

    /** One replay of {@code windows} (per window, indices below {@code actors}) on {@code threads} threads. */
    public static Replay replay(List<int[]> windows, int actors, int threads) throws InterruptedException {
        CompletableFuture<Replay> done = new CompletableFuture<>();
        ActorSystem<Command> system = ActorSystem.create(coordinator(windows, actors), "fedlodrop-message-floor",
                Simulation.config(threads));
        try {
            system.tell(new Begin(done));
            return done.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the message floor's replay did not finish: " + e, e);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(5, TimeUnit.MINUTES);
            } catch (ExecutionException | TimeoutException e) {
                // Measured already; a slow shutdown changes nothing.
            }
        }
    }

    private static Behavior<Wake> actor() {
        return Behaviors.receive((context, wake) -> {
            wake.replyTo().tell(new Answer());
            return Behaviors.same();
        });
    }

    private static Behavior<Command> coordinator(List<int[]> windows, int actors) {
        return Behaviors.setup(context -> new Coordinator(context, windows, actors));
    }

    /** The clock's part: one message to each actor of a window, the next window once all have answered. */
    private static final class Coordinator extends AbstractBehavior<Command> {
        private final List<int[]> windows;
        private final ActorRef<Wake>[] actors;
        private final ActorRef<Answer> answers;
        private CompletableFuture<Replay> done;
        private long startNs;
        private int window;
        private int awaited;
        private long answered;

        @SuppressWarnings("unchecked")
        Coordinator(ActorContext<Command> context, List<int[]> windows, int count) {
            super(context);
            this.windows = windows;
            this.actors = new ActorRef[count];
            for (int i = 0; i < count; i++) {
                actors[i] = context.spawn(actor(), "a" + i);
            }
            this.answers = context.getSelf().narrow();
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Begin.class, this::onBegin)
                    .onMessage(Answer.class, this::onAnswer)
                    .build();
        }

        private Behavior<Command> onBegin(Begin begin) {
            done = begin.done();
            startNs = System.nanoTime();
            window = -1;
            return next();
        }

        private Behavior<Command> onAnswer(Answer answer) {
            answered++;
            return --awaited == 0 ? next() : this;
        }

        private Behavior<Command> next() {
            do {
                window++;
            } while (window < windows.size() && windows.get(window).length == 0);
            if (window == windows.size()) {
                done.complete(new Replay((System.nanoTime() - startNs) / 1e9, answered));
                return this;
            }
            int[] targets = windows.get(window);
            awaited = targets.length;
            for (int target : targets) {
                actors[target].tell(new Wake(answers));
            }
            return this;
        }
    }
}
