package org.fedlodrop.simulator.kernel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.kernel.EventKey;
import org.fedlodrop.simulator.kernel.Lookahead;
import org.fedlodrop.simulator.kernel.ScheduledEvent;
import org.fedlodrop.simulator.kernel.SimEvent;

/**
 * Owns virtual time and the future-event list (docs/architecture.md, "The discrete-event kernel").
 *
 * <p>Conservative synchronisation in windows. From every actor's earliest pending event and its
 * {@link Lookahead} promise the clock computes, for each actor, the earliest time at which another
 * actor could still send it anything (its safe time), and hands each actor, in one {@link Delivery},
 * all of its events before that time together with the earliest time and depth pending anywhere (which
 * is always safe). The actor handles them in {@link ScheduledEvent#ORDER}, and the events it schedules
 * for itself inside its window too, then answers with one {@link Ack} carrying the events it scheduled
 * for others (and its own beyond the window) and the records it produced, each tagged with the key that
 * a kernel stepping through one time and depth at a time would have written it under. The clock writes
 * records in that order once no earlier event can occur, so the files do not depend on how the windows
 * cut the run, on which actor ran first, or on how many threads ran them. An event scheduled into
 * another actor's open window breaks a promise: it stops the run, naming both actors and the times.
 *
 * <p>Register, Delivery and Ack also cross cluster members when devices are sharded; the type ids on
 * their polymorphic lists are for that (Jackson CBOR, see {@code cluster.ClusterNode}).
 */
public final class Clock extends AbstractBehavior<Clock.Command> {
    private static final long NEVER = Long.MAX_VALUE;

    public sealed interface Command permits Register, Start, Ack {
    }

    /**
     * How far actors may run ahead: {@link #WINDOWS} (the default), or {@link #STEPS}, one time and
     * depth at a time for every actor (the kernel before windows; kept to compare against).
     */
    public enum Synchronisation {
        WINDOWS,
        STEPS
    }

    /**
     * Which actors an actor may schedule events for (null: any), and whether it shares state with other
     * coupled actors through events that {@link SimEvent#feedsCohorts feed cohorts}.
     */
    public record Reach(List<String> sendsTo, boolean coupled) {
        public static final Reach ANY = new Reach(null, false);

        public Reach {
            sendsTo = sendsTo == null ? null : List.copyOf(sendsTo);
        }

        public static Reach to(String... ids) {
            return new Reach(List.of(ids), false);
        }

        public Reach coupled(boolean shares) {
            return new Reach(sendsTo, shares);
        }
    }

    /** An actor announces where its deliveries go; the clock starts once all expected ids have registered. */
    public record Register(String id, ActorRef<Delivery> wake, Reach reach) implements Command {
        public Register(String id, ActorRef<Delivery> wake) {
            this(id, wake, Reach.ANY);
        }
    }

    public record Start(List<ScheduledEvent> initial, ActorRef<Outcome> replyTo) implements Command {
    }

    /**
     * The one reply to each {@link Delivery}.
     *
     * @param scheduled  events for other actors, and the actor's own that its window did not admit
     * @param records    what it recorded, in the order it recorded them
     * @param recordKeys per record, the key it is written under (null: the delivery's first event's)
     * @param handled    events handled, those scheduled inside the window included (negative: the delivered ones)
     * @param lastNs     virtual time of the last event handled (negative: the delivery's last)
     * @param lookahead  a new promise, or null for the last one
     * @param trace      the events handled, with what each scheduled, when the window asked for it
     */
    public record Ack(long step, String from, List<ScheduledEvent> scheduled,
                      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<RunRecord> records, List<EventKey> recordKeys,
                      long handled, long lastNs, Lookahead lookahead, List<Handled> trace) implements Command {
        /** An acknowledgement that handled exactly what was delivered and keeps its promise. */
        public Ack(long step, String from, List<ScheduledEvent> scheduled, List<RunRecord> records) {
            this(step, from, scheduled, records, null, -1, -1, null, List.of());
        }
    }

    /**
     * How far the receiving actor may go: every event before {@code boundNs}, and those at exactly
     * ({@code levelNs}, {@code levelDepth}), the earliest pending anywhere. An actor coupled to others
     * reads their shared state at a time t only when t ≤ {@code cohortHorizonNs}.
     */
    public record Window(long boundNs, long levelNs, int levelDepth, long cohortHorizonNs, boolean traced) {
        public boolean admits(ScheduledEvent event) {
            return admits(event, boundNs, levelNs, levelDepth);
        }

        static boolean admits(ScheduledEvent event, long boundNs, long levelNs, int levelDepth) {
            return event.timeNs() < boundNs || (event.timeNs() == levelNs && event.depth() == levelDepth);
        }
    }

    /** The events of one actor in one window, in {@link ScheduledEvent#ORDER}. */
    public record Delivery(long step, List<ScheduledEvent> scheduled, Window window) {
        public Delivery {
            scheduled = List.copyOf(scheduled);
        }

        /** Virtual time of the first event delivered. */
        @JsonIgnore
        public long timeNs() {
            return scheduled.get(0).timeNs();
        }

        @JsonIgnore
        public List<SimEvent> events() {
            return scheduled.stream().map(ScheduledEvent::event).toList();
        }
    }

    /** One event an actor handled and the events it scheduled meanwhile. */
    public record Handled(ScheduledEvent event, List<ScheduledEvent> children) {
    }

    public sealed interface Outcome permits Finished, Failed {
    }

    /** @param steps windows, @param events events handled */
    public record Finished(long steps, long events, long endTimeNs) implements Outcome {
    }

    public record Failed(String reason) implements Outcome {
    }

    /** Sees every event handled, window by window; for the kernel benchmark's sequential baseline. */
    public interface Trace {
        Trace NONE = atStart(() -> { });

        default boolean enabled() {
            return true;
        }

        /** Sees only the clock's start (every actor registered), not the events. */
        static Trace atStart(Runnable started) {
            return new Trace() {
                @Override
                public boolean enabled() {
                    return false;
                }

                @Override
                public void start(List<ScheduledEvent> initial) {
                    started.run();
                }

                @Override
                public void window(List<Handled> handled) {
                }
            };
        }

        void start(List<ScheduledEvent> initial);

        /** The events handled in one window, each with what it scheduled. */
        void window(List<Handled> handled);
    }

    /** One actor as the clock sees it. */
    private static final class Node {
        final String id;
        final ActorRef<Delivery> wake;
        final Reach reach;
        final PriorityQueue<ScheduledEvent> pending = new PriorityQueue<>(ScheduledEvent.ORDER);
        Node[] sendsTo;
        /** Place in {@link Clock#all}. */
        int index;
        Lookahead lookahead = Lookahead.NONE;
        /** Behind a barrier: the awaited actors that have not sent this one an event yet, and the latest that did. */
        Set<Node> awaited;
        long latestSentNs;
        /** Per window: the bound of its window (with windows, its safe time: the earliest anyone could send it an event). */
        long bound;

        Node(String id, ActorRef<Delivery> wake, Reach reach) {
            this.id = id;
            this.wake = wake;
            this.reach = reach;
        }

        long delay() {
            return lookahead instanceof Lookahead.Delay delay ? delay.delayNs() : 0;
        }
    }

    /**
     * A record with its key's fields copied in: ordering a window's records compares them without going
     * through the key (ordering was 8 % of a 300,000-device run).
     */
    private record Tagged(long timeNs, int depth, int phase, String scheduler, long sequence, RunRecord record) {
        static final Comparator<Tagged> ORDER = (a, b) -> EventKey.compare(a.timeNs, a.depth, a.phase, a.scheduler,
                a.sequence, b.timeNs, b.depth, b.phase, b.scheduler, b.sequence);

        Tagged(EventKey key, RunRecord record) {
            this(key.timeNs(), key.depth(), key.phase(), key.scheduler(), key.sequence(), record);
        }
    }

    private final Set<String> expected;
    private final RecordSink recorder;
    private final Trace trace;
    private final Synchronisation synchronisation;
    private final Map<String, Node> nodes = new HashMap<>();
    private Node[] all = new Node[0];
    /** The safe-time propagation, sized once all actors are in, and its inputs per actor index. */
    private SafeTimes safeTimes;
    private long[] nextTimes = new long[0];
    private long[] delays = new long[0];
    /** Per actor index, its slot in the window's deliveries, or −1 when it has none. */
    private int[] slotOf = new int[0];
    private Node[] receiving = new Node[0];
    private Start start;
    private long step;
    private long levelNs;
    private int levelDepth;
    private long delivered;
    private long endNs;
    private final List<Tagged> unwritten = new ArrayList<>();
    private Ack[] acks = new Ack[0];
    private List<List<ScheduledEvent>> batches = List.of();
    /** With {@link Synchronisation#STEPS}, every pending event, instead of each actor's own. */
    private final PriorityQueue<ScheduledEvent> queue = new PriorityQueue<>(ScheduledEvent.ORDER);
    private int awaiting;

    private Clock(ActorContext<Command> context, Set<String> expected, RecordSink recorder, Trace trace,
                  Synchronisation synchronisation) {
        super(context);
        this.expected = Set.copyOf(expected);
        this.recorder = recorder;
        this.trace = trace;
        this.synchronisation = synchronisation;
    }

    public static Behavior<Command> create(Set<String> expectedActors, RecordSink recorder, Trace trace) {
        return create(expectedActors, recorder, trace, Synchronisation.WINDOWS);
    }

    public static Behavior<Command> create(Set<String> expectedActors, RecordSink recorder, Trace trace,
                                           Synchronisation synchronisation) {
        return Behaviors.setup(context -> new Clock(context, expectedActors, recorder, trace, synchronisation));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Register.class, this::onRegister)
                .onMessage(Start.class, this::onStart)
                .onMessage(Ack.class, this::onAck)
                .build();
    }

    private Behavior<Command> onRegister(Register register) {
        if (!expected.contains(register.id())) {
            throw new IllegalStateException("unexpected actor registered: " + register.id());
        }
        if (nodes.containsKey(register.id())) {
            // A second registration (a restarted or rebalanced entity) would have its events queued twice.
            throw new IllegalStateException("actor registered twice: " + register.id());
        }
        nodes.put(register.id(), new Node(register.id(), register.wake(), register.reach()));
        return maybeBegin();
    }

    private Behavior<Command> onStart(Start message) {
        this.start = message;
        return maybeBegin();
    }

    private Behavior<Command> maybeBegin() {
        if (start == null || nodes.size() < expected.size()) {
            return this;
        }
        // Sorted by id: the clock's own iteration order then never depends on the order of registration.
        all = nodes.values().stream().sorted(Comparator.comparing(node -> node.id)).toArray(Node[]::new);
        for (int i = 0; i < all.length; i++) {
            all[i].index = i;
        }
        int[][] receivers = new int[all.length][];
        for (Node node : all) {
            node.sendsTo = node.reach.sendsTo() == null ? null
                    : node.reach.sendsTo().stream().map(this::node).toArray(Node[]::new);
            receivers[node.index] = node.sendsTo == null ? null
                    : Arrays.stream(node.sendsTo).mapToInt(to -> to.index).toArray();
        }
        safeTimes = new SafeTimes(receivers);
        nextTimes = new long[all.length];
        delays = new long[all.length];
        slotOf = new int[all.length];
        Arrays.fill(slotOf, -1);
        levelNs = 0;
        levelDepth = 0;
        for (ScheduledEvent event : start.initial()) {
            pendingOf(node(event.target())).add(event);
        }
        trace.start(start.initial());
        return nextWindow();
    }

    private Node node(String id) {
        Node node = nodes.get(id);
        if (node == null) {
            throw new IllegalStateException("event for unknown actor " + id);
        }
        return node;
    }

    private Behavior<Command> nextWindow() {
        List<Node> receivers = new ArrayList<>();
        List<List<ScheduledEvent>> batchList = new ArrayList<>();
        long horizon;
        if (synchronisation == Synchronisation.STEPS) {
            if (queue.isEmpty()) {
                return finish();
            }
            // One time and depth for every actor: the earliest events, grouped by actor in the order polled.
            ScheduledEvent earliest = queue.peek();
            levelNs = earliest.timeNs();
            levelDepth = earliest.depth();
            horizon = levelNs;
            Map<Node, List<ScheduledEvent>> byNode = new LinkedHashMap<>();
            while (!queue.isEmpty() && queue.peek().timeNs() == levelNs && queue.peek().depth() == levelDepth) {
                ScheduledEvent event = queue.poll();
                byNode.computeIfAbsent(node(event.target()), n -> new ArrayList<>()).add(event);
            }
            byNode.forEach((node, batch) -> {
                node.bound = levelNs;
                receivers.add(node);
                batchList.add(batch);
            });
        } else {
            ScheduledEvent earliest = null;
            for (Node node : all) {
                ScheduledEvent first = node.pending.peek();
                nextTimes[node.index] = first == null ? NEVER : first.timeNs();
                if (first != null && (earliest == null || ScheduledEvent.ORDER.compare(first, earliest) < 0)) {
                    earliest = first;
                }
            }
            if (earliest == null) {
                return finish();
            }
            levelNs = earliest.timeNs();
            levelDepth = earliest.depth();
            computeBounds();
            horizon = cohortHorizon();
            for (Node node : all) {
                List<ScheduledEvent> batch = null;
                while (!node.pending.isEmpty() && admits(node, node.pending.peek())) {
                    if (batch == null) {
                        batch = new ArrayList<>();
                    }
                    batch.add(node.pending.poll());
                }
                if (batch != null) {
                    receivers.add(node);
                    batchList.add(batch);
                }
            }
        }
        step++;
        for (Node previous : receiving) {
            slotOf[previous.index] = -1;
        }
        receiving = receivers.toArray(new Node[0]);
        acks = new Ack[receivers.size()];
        batches = batchList;
        awaiting = receivers.size();
        for (int slot = 0; slot < receivers.size(); slot++) {
            Node node = receivers.get(slot);
            slotOf[node.index] = slot;
            node.wake.tell(new Delivery(step, batches.get(slot),
                    new Window(node.bound, levelNs, levelDepth, horizon, trace.enabled())));
        }
        return this;
    }

    private boolean admits(Node node, ScheduledEvent event) {
        return Window.admits(event, node.bound, levelNs, levelDepth);
    }

    private Behavior<Command> finish() {
        write(NEVER);
        start.replyTo().tell(new Finished(step, delivered, endNs));
        return Behaviors.stopped();
    }

    /**
     * Every actor's safe time: the earliest time at which another actor could send it an event, given the
     * events pending and every actor's promise. A shortest-path computation over who sends to whom (Chandy
     * and Misra's earliest input time); an actor behind a {@link Lookahead.Barrier} sends nothing before
     * the last actor it awaits has sent, which is computed first without anything it would send.
     */
    private void computeBounds() {
        Node barrier = null;
        for (Node node : all) {
            if (node.lookahead instanceof Lookahead.Barrier) {
                if (barrier != null) {
                    throw new IllegalStateException("two actors behind a barrier at once (" + barrier.id + ", "
                            + node.id + "): the clock supports one");
                }
                barrier = node;
            }
        }
        long barrierEot = NEVER;
        int barrierIndex = barrier == null ? -1 : barrier.index;
        if (barrier != null) {
            safeTimes.solve(nextTimes, delays, barrierIndex, NEVER);
            long last = barrier.latestSentNs;
            for (Node awaited : barrier.awaited) {
                last = Math.max(last, safeTimes.eot(awaited.index));
            }
            barrierEot = plus(last, ((Lookahead.Barrier) barrier.lookahead).delayNs());
        }
        safeTimes.solve(nextTimes, delays, barrierIndex, barrierEot);
        for (Node node : all) {
            node.bound = safeTimes.eit(node.index);
        }
    }

    /** The earliest time a coupled actor could still feed the cohorts: pending, or sent to it from now on. */
    private long cohortHorizon() {
        long horizon = NEVER;
        for (Node node : all) {
            if (!node.reach.coupled()) {
                continue;
            }
            horizon = Math.min(horizon, node.bound);
            for (ScheduledEvent event : node.pending) {
                if (event.event().feedsCohorts()) {
                    horizon = Math.min(horizon, event.timeNs());
                }
            }
        }
        return horizon;
    }

    private static long plus(long time, long delay) {
        return SafeTimes.plus(time, delay);
    }

    private Behavior<Command> onAck(Ack ack) {
        Node sender = nodes.get(ack.from());
        int slot = sender == null ? -1 : slotOf[sender.index];
        if (ack.step() != step || slot < 0 || acks[slot] != null) {
            throw new IllegalStateException("acknowledgement out of step from " + ack.from()
                    + " (step " + ack.step() + ", clock at " + step + ")");
        }
        acks[slot] = ack;
        if (--awaiting > 0) {
            return this;
        }
        List<Handled> handled = trace.enabled() ? new ArrayList<>() : null;
        for (int s = 0; s < acks.length; s++) {
            Ack each = acks[s];
            Node from = receiving[s];
            for (ScheduledEvent event : each.scheduled()) {
                enqueue(from, event);
            }
            List<ScheduledEvent> batch = batches.get(s);
            delivered += each.handled() < 0 ? batch.size() : each.handled();
            endNs = Math.max(endNs, each.lastNs() < 0 ? batch.get(batch.size() - 1).timeNs() : each.lastNs());
            EventKey first = batch.get(0).key();
            for (int i = 0; i < each.records().size(); i++) {
                unwritten.add(new Tagged(each.recordKeys() == null ? first : each.recordKeys().get(i),
                        each.records().get(i)));
            }
            if (each.lookahead() != null) {
                promise(from, each.lookahead());
            }
            if (handled != null) {
                handled.addAll(each.trace());
            }
        }
        if (handled != null) {
            trace.window(handled);
        }
        long earliest = NEVER;
        if (synchronisation == Synchronisation.STEPS) {
            earliest = queue.isEmpty() ? NEVER : queue.peek().timeNs();
        } else {
            for (Node node : all) {
                if (!node.pending.isEmpty()) {
                    earliest = Math.min(earliest, node.pending.peek().timeNs());
                }
            }
        }
        write(earliest);
        return nextWindow();
    }

    /**
     * A barrier is counted down here, as the awaited actors' events for the barrier's actor come in: the
     * actor states whom it awaits once, not at every acknowledgement.
     */
    private void promise(Node from, Lookahead lookahead) {
        from.lookahead = lookahead;
        delays[from.index] = from.delay();
        from.awaited = null;
        if (lookahead instanceof Lookahead.Barrier barrier) {
            // Linked: the clock iterates it every window, and a HashSet iterates its whole table however few are left.
            from.awaited = new LinkedHashSet<>();
            for (String id : barrier.awaited()) {
                from.awaited.add(node(id));
            }
            from.latestSentNs = Long.MIN_VALUE;
            for (ScheduledEvent event : pendingOf(from)) {
                if (event.target().equals(from.id)) {
                    countDown(from, nodes.get(event.scheduler()), event);
                }
            }
        }
    }

    private static void countDown(Node barrier, Node sender, ScheduledEvent event) {
        if (sender != null && barrier.awaited.remove(sender)) {
            barrier.latestSentNs = Math.max(barrier.latestSentNs, event.timeNs());
        }
    }

    private void enqueue(Node from, ScheduledEvent event) {
        Node target = node(event.target());
        if (event.timeNs() < levelNs) {
            throw new IllegalStateException("event scheduled in the past: " + event + " at " + levelNs);
        }
        if (target != from && !reaches(from, target)) {
            // The safe times assumed it could not: a promise broken as surely as a late event.
            throw new IllegalStateException(String.format("%s scheduled %s for %s, but registered as scheduling events "
                            + "only for %s", from.id, event.event().getClass().getSimpleName(), target.id,
                    from.reach.sendsTo()));
        }
        if (target != from && event.timeNs() < target.bound) {
            throw new IllegalStateException(String.format(
                    "%s scheduled %s for %s at %d ns, inside %s's open window (up to %d ns, step %d): "
                            + "%s's lookahead promise was broken",
                    from.id, event.event().getClass().getSimpleName(), target.id, event.timeNs(), target.id,
                    target.bound, step, from.id));
        }
        if (target.awaited != null) {
            countDown(target, from, event);
        }
        pendingOf(target).add(event);
    }

    private static boolean reaches(Node from, Node target) {
        if (from.sendsTo == null) {
            return true;
        }
        for (Node node : from.sendsTo) {
            if (node == target) {
                return true;
            }
        }
        return false;
    }

    private PriorityQueue<ScheduledEvent> pendingOf(Node node) {
        return synchronisation == Synchronisation.STEPS ? queue : node.pending;
    }

    /** Writes, in key order, every record made before {@code beforeNs}: no event can come before that any more. */
    private void write(long beforeNs) {
        if (unwritten.isEmpty()) {
            return;
        }
        int count = 0;
        for (Tagged tagged : unwritten) {
            if (tagged.timeNs() < beforeNs) {
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        Tagged[] ready = new Tagged[count];
        int r = 0;
        int kept = 0;
        for (Tagged tagged : unwritten) {
            if (tagged.timeNs() < beforeNs) {
                ready[r++] = tagged;
            } else {
                unwritten.set(kept++, tagged);
            }
        }
        unwritten.subList(kept, unwritten.size()).clear();
        // Stable: records of one actor at one key stay in the order it made them.
        Arrays.sort(ready, Tagged.ORDER);
        RunRecord[] records = new RunRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = ready[i].record();
        }
        recorder.write(Collections.unmodifiableList(Arrays.asList(records)));
    }
}
