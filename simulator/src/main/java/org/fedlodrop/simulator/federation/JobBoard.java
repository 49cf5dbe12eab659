package org.fedlodrop.simulator.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The server's view of a buffered run (docs/buffered.md): the model's version (server steps so far), which devices
 * have a job in flight and the band each holds, the version of each device's last job, and the updates waiting in
 * the buffer. A device may start a job when it is online, has none in flight, has not yet had a job from the
 * current version (a device trains each version at most once, so that a fast device cannot fill the buffer with
 * near copies of one update), and fewer than {@code concurrency} jobs are in flight; candidates are taken round
 * robin from the device after the last one started, so that with a concurrency below the fleet every device has
 * its turn. The server steps when the buffer holds {@code bufferSize} updates, or when no job is in flight and
 * none can start (it then applies what it has, which may be nothing).
 */
public final class JobBoard {
    private final int devices;
    private final int concurrency;
    private final int bufferSize;
    private final int[] cellOf;
    private final double[] held;
    private final int[] lastVersion;
    private final boolean[] inFlight;
    private int flying;
    private int buffered;
    private int version;
    private int next;

    /**
     * @param cellOf each device's cell
     */
    public JobBoard(int[] cellOf, int concurrency, int bufferSize) {
        if (concurrency < 1 || bufferSize < 1 || bufferSize > concurrency) {
            throw new IllegalArgumentException("concurrency " + concurrency + ", buffer " + bufferSize);
        }
        this.devices = cellOf.length;
        this.concurrency = Math.min(concurrency, devices);
        this.bufferSize = bufferSize;
        this.cellOf = cellOf.clone();
        this.held = new double[devices];
        this.lastVersion = new int[devices];
        java.util.Arrays.fill(lastVersion, -1);
        this.inFlight = new boolean[devices];
    }

    public int version() {
        return version;
    }

    /**
     * The server steps whose W0 change device k downloads if it starts now (docs/buffered.md): those since the version
     * it last started from, or all so far.
     */
    public int stepsSinceLastStart(int k) {
        return version - Math.max(lastVersion[k], 0);
    }

    /** The devices that start a job now, in the order they were taken; none is marked started yet. */
    public List<Integer> starting(IntPredicate online) {
        List<Integer> starting = new ArrayList<>();
        int free = concurrency - flying;
        for (int i = 0; i < devices && starting.size() < free; i++) {
            int k = (next + i) % devices;
            if (!inFlight[k] && lastVersion[k] < version && online.test(k)) {
                starting.add(k);
            }
        }
        return starting;
    }

    /** Whether some device would start but for being offline: one idle, without a job from the current version. */
    public boolean awaitsOffline(IntPredicate online) {
        for (int k = 0; k < devices; k++) {
            if (!inFlight[k] && lastVersion[k] < version && !online.test(k)) {
                return true;
            }
        }
        return false;
    }

    /** Device k starts a job from the current version, holding {@code bandwidthHz} of its cell's band until it ends. */
    public void started(int k, double bandwidthHz) {
        if (inFlight[k]) {
            throw new IllegalStateException("device " + k + " already has a job");
        }
        inFlight[k] = true;
        flying++;
        held[k] = bandwidthHz;
        lastVersion[k] = version;
        next = (k + 1) % devices;
    }

    /** Device k was planned from the current version but not served: it had its turn at this version. */
    public void passedOver(int k) {
        lastVersion[k] = version;
        next = (k + 1) % devices;
    }

    /** Device k's job ended; {@code update}: it sent one, which waits in the buffer. */
    public void ended(int k, boolean update) {
        if (!inFlight[k]) {
            throw new IllegalStateException("device " + k + " has no job");
        }
        inFlight[k] = false;
        flying--;
        held[k] = 0;
        if (update) {
            buffered++;
        }
    }

    /** The band of {@code cell} that no job in flight holds (summed afresh, so that an idle cell has all of it, exactly). */
    public double bandLeft(int cell, double bandwidthHz) {
        double holding = 0;
        for (int k = 0; k < devices; k++) {
            if (inFlight[k] && cellOf[k] == cell) {
                holding += held[k];
            }
        }
        return holding == 0 ? bandwidthHz : Math.max(0, bandwidthHz - holding);
    }

    public int inFlight() {
        return flying;
    }

    public int buffered() {
        return buffered;
    }

    /** Whether the buffer holds enough updates for a step. */
    public boolean full() {
        return buffered >= bufferSize;
    }

    /** The server takes the buffer for a step: updates that arrive from now on wait for the next. */
    public void take() {
        buffered = 0;
    }

    /** The server's step is done: a new version. */
    public void stepped() {
        version++;
    }
}
