package org.fedlodrop.simulator.kernel;

import java.util.Arrays;

/**
 * A binary min-heap of item indices 0..n−1 keyed by a time, with decrease-key: the queue of {@link SafeTimes}'s
 * Dijkstra, which answers when label correcting runs over its budget. Each item is in it at most
 * once, and nothing is allocated per push, where a queue of (time, item) records had been a third of the
 * clock's work with a thousand devices. Items of equal time come out in any order; the propagation's
 * result does not depend on it (it is the least fixpoint of its min-plus equations).
 */
final class EarliestFirst {
    private final int[] heap;
    /** Where each item is in {@link #heap}, or −1 when it is not queued. */
    private final int[] position;
    private final long[] time;
    private int size;

    EarliestFirst(int items) {
        heap = new int[items];
        position = new int[items];
        time = new long[items];
        Arrays.fill(position, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Queues {@code item} at {@code at}, or moves it earlier if it is queued later; a later time is ignored. */
    void offer(int item, long at) {
        int where = position[item];
        if (where < 0) {
            time[item] = at;
            heap[size] = item;
            position[item] = size;
            up(size++);
        } else if (at < time[item]) {
            time[item] = at;
            up(where);
        }
    }

    /** Removes and returns the item of the earliest time. */
    int poll() {
        int first = heap[0];
        position[first] = -1;
        if (--size > 0) {
            heap[0] = heap[size];
            position[heap[0]] = 0;
            down(0);
        }
        return first;
    }

    /** The time {@code item} was last queued at. */
    long timeOf(int item) {
        return time[item];
    }

    private void up(int at) {
        int item = heap[at];
        long key = time[item];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            int above = heap[parent];
            if (time[above] <= key) {
                break;
            }
            heap[at] = above;
            position[above] = at;
            at = parent;
        }
        heap[at] = item;
        position[item] = at;
    }

    private void down(int at) {
        int item = heap[at];
        long key = time[item];
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && time[heap[right]] < time[heap[child]]) {
                child = right;
            }
            if (key <= time[heap[child]]) {
                break;
            }
            heap[at] = heap[child];
            position[heap[at]] = at;
            at = child;
        }
        heap[at] = item;
        position[item] = at;
    }
}
