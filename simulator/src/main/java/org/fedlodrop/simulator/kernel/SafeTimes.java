package org.fedlodrop.simulator.kernel;

import java.util.Arrays;

/**
 * Every actor's earliest input time: the earliest time at which another actor could still send it an
 * event, given each actor's earliest pending event and its lookahead delay (Chandy and Misra; Fujimoto,
 * "Parallel and Distributed Simulation Systems", ch. 3). The least solution of
 * <pre>
 *   eit[r] = min over senders s → r, s ≠ r, of eot[s]
 *   act[r] = min(next[r], eit[r]),  eot[r] = act[r] + delay[r]     (an actor's earliest output time)
 * </pre>
 * except for the one actor behind a barrier, whose eot is given. With non-negative delays this is a
 * shortest-path problem and its solution is unique, so any algorithm that reaches the fixpoint gives the
 * same times.
 *
 * <p>The clock asks for it every window, over every actor. Dijkstra's algorithm on an indexed heap costs
 * a push and a pop per actor with a pending event (about a quarter of the clock's serial work, at a
 * thousand devices as at a hundred thousand). Label correcting with a first-in-first-out worklist visits
 * each actor once and the senders that reach everyone (a base station) a few times more, with no heap:
 * for the star of a cell, where a device's input comes only through the base station, an actor is
 * corrected at most once or twice. Its worst case is far worse than Dijkstra's, so past a budget of
 * corrections it starts again with Dijkstra; both reach the same fixpoint, so which one answered never
 * shows.
 */
final class SafeTimes {
    static final long NEVER = Long.MAX_VALUE;
    /** Corrections allowed per actor before label correcting gives way to Dijkstra. */
    private static final int CORRECTIONS_PER_ACTOR = 4;

    private final int size;
    /** Per actor, whom it may send to; null: everyone. */
    private final int[][] receivers;
    private final long[] act;
    private final long[] eot;
    private final long[] eit;
    private final int[] worklist;
    private final boolean[] listed;
    /** The worklist's first place and length. */
    private int head;
    private int listedCount;
    private final EarliestFirst heap;
    private final long correctionBudget;
    private int dijkstraRuns;

    /** @param receivers per actor, the actors it may send events to (null: every actor) */
    SafeTimes(int[][] receivers) {
        this(receivers, (long) CORRECTIONS_PER_ACTOR * receivers.length + 16);
    }

    /** With the number of corrections after which Dijkstra answers instead (tests force it). */
    SafeTimes(int[][] receivers, long correctionBudget) {
        this.correctionBudget = correctionBudget;
        this.size = receivers.length;
        this.receivers = receivers.clone();
        act = new long[size];
        eot = new long[size];
        eit = new long[size];
        worklist = new int[size];
        listed = new boolean[size];
        heap = new EarliestFirst(size);
    }

    /**
     * Solves for every actor.
     *
     * @param next       per actor, the time of its earliest pending event (NEVER: none)
     * @param delay      per actor, its lookahead delay (≥ 0)
     * @param barrier    the actor whose eot is given, or −1
     * @param barrierEot that actor's eot
     */
    void solve(long[] next, long[] delay, int barrier, long barrierEot) {
        start(next, delay, barrier, barrierEot);
        for (int i = 0; i < size; i++) {
            if (eot[i] < NEVER) {
                list(i);
            }
        }
        if (!relax(delay, barrier, false)) {
            dijkstraRuns++;
            start(next, delay, barrier, barrierEot);
            for (int i = 0; i < size; i++) {
                if (eot[i] < NEVER) {
                    heap.offer(i, eot[i]);
                }
            }
            relax(delay, barrier, true);
        }
    }

    /** The earliest time anyone could send actor {@code i} an event. */
    long eit(int i) {
        return eit[i];
    }

    /** The earliest time actor {@code i} could send anyone an event. */
    long eot(int i) {
        return eot[i];
    }

    /** How often the worklist ran over its budget and Dijkstra answered (for tests). */
    int dijkstraRuns() {
        return dijkstraRuns;
    }

    private void start(long[] next, long[] delay, int barrier, long barrierEot) {
        for (int i = 0; i < size; i++) {
            eit[i] = NEVER;
            act[i] = next[i];
            eot[i] = i == barrier ? barrierEot : plus(act[i], delay[i]);
        }
    }

    /**
     * Relaxes every sender's edges until none improves: senders taken from the worklist (label correcting)
     * or, {@code earliestFirst}, from the heap (Dijkstra). False when the worklist's corrections ran over
     * their budget (the worklist is then emptied and the times are not yet the fixpoint).
     */
    private boolean relax(long[] delay, int barrier, boolean earliestFirst) {
        long budget = correctionBudget;
        while (earliestFirst ? !heap.isEmpty() : listedCount > 0) {
            int sender = earliestFirst ? heap.poll() : unlist();
            long time = eot[sender];
            int[] to = receivers[sender];
            int reach = to == null ? size : to.length;
            for (int k = 0; k < reach; k++) {
                int receiver = to == null ? k : to[k];
                if (receiver == sender || time >= eit[receiver]) {
                    continue;
                }
                eit[receiver] = time;
                if (receiver != barrier && time < act[receiver]) {
                    act[receiver] = time;
                    eot[receiver] = plus(time, delay[receiver]);
                    if (earliestFirst) {
                        heap.offer(receiver, eot[receiver]);
                    } else if (!listed[receiver]) {
                        if (--budget < 0) {
                            Arrays.fill(listed, false);
                            listedCount = 0;
                            return false;
                        }
                        list(receiver);
                    }
                }
            }
        }
        return true;
    }

    /** Appends an actor to the worklist (a ring: each actor is on it at most once). */
    private void list(int actor) {
        worklist[(head + listedCount) % size] = actor;
        listedCount++;
        listed[actor] = true;
    }

    private int unlist() {
        int actor = worklist[head];
        head = head + 1 == size ? 0 : head + 1;
        listedCount--;
        listed[actor] = false;
        return actor;
    }

    static long plus(long time, long delay) {
        return time >= NEVER - delay ? NEVER : time + delay;
    }
}
