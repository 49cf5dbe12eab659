package org.fedlodrop.simulator.learning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.LocalTrainer;

/**
 * Starts devices' local training on the run's pool in cohorts: devices that train the same model in the
 * same round run in lock step, their frozen products stacked ({@link LocalTrainer#trainTogether}).
 *
 * <p>Devices are dealt into fixed blocks of {@code training.cohort} consecutive indices (devices 0–3, 4–7, …
 * for cohorts of four). A device queues its training when its download ends and needs the result when its
 * computation ends, later in virtual time. When a device of a block needs its result, every training of
 * its block queued before that virtual time and not started yet starts, those of one model as one cohort;
 * a training queued at the very time it is needed (a computation of no duration) starts on its own.
 *
 * <p>Which devices share a cohort decides the order of float summation in the stacked products, so it
 * depends only on the scenario: never on threads, windows or cluster members. Blocks never straddle
 * members (a sharded run places whole blocks); the clock lets a coupled device ask for its result only
 * once every download ending earlier has been handled ({@link org.fedlodrop.simulator.kernel.SimEvent#feedsCohorts});
 * and since every training says when it will be needed, a device that asks first while an earlier need of
 * its block is still to come starts the earlier cohort first, exactly as it would have started.
 */
public final class TrainingCohorts {
    private final Executor pool;
    private final int size;
    /** Guarded by {@code this}: per block, its trainings not started yet and its needs not yet passed. */
    private final Map<Integer, Block> blocks = new HashMap<>();

    private record Queued(int device, long queuedNs, long neededNs, Classifier model, LocalTrainer.Job job,
                          CompletableFuture<LocalTrainer.Outcome> outcome) {
    }

    private static final class Block {
        final List<Queued> queued = new ArrayList<>();
        final TreeSet<Long> needs = new TreeSet<>();
    }

    /** Cohorts of at most {@code size} devices (1: every device trains alone) on {@code pool}. */
    public TrainingCohorts(Executor pool, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cohort has at least one device, not " + size);
        }
        this.pool = pool;
        this.size = size;
    }

    /** The most devices in one cohort: the size of a block. */
    public int size() {
        return size;
    }

    /** The block of {@code device}: devices of one block may train together, others never. */
    public static int block(int device, int size) {
        return device / size;
    }

    /**
     * Queues {@code device}'s training at virtual time {@code nowNs}, to be needed at {@code neededNs}; it
     * starts at {@link #start} at the latest.
     */
    public synchronized CompletableFuture<LocalTrainer.Outcome> queue(int device, long nowNs, long neededNs,
                                                                      Classifier model, LocalTrainer.Job job) {
        if (neededNs < nowNs) {
            throw new IllegalArgumentException("a training is needed after it is queued, not at " + neededNs
                    + " ns before " + nowNs + " ns");
        }
        CompletableFuture<LocalTrainer.Outcome> outcome = new CompletableFuture<>();
        Block block = blocks.computeIfAbsent(block(device, size), b -> new Block());
        block.queued.add(new Queued(device, nowNs, neededNs, model, job, outcome));
        block.needs.add(neededNs);
        return outcome;
    }

    /**
     * Called by {@code device} when it needs its result at virtual time {@code nowNs}: starts, need by need of
     * its block up to {@code nowNs}, the block's trainings queued before that need (and alone, each queued at
     * its very need).
     */
    public synchronized void start(int device, long nowNs) {
        Block block = blocks.get(block(device, size));
        if (block == null) {
            return;
        }
        SortedSet<Long> due = block.needs.headSet(nowNs, true);
        for (long need : due) {
            startBefore(block, need);
        }
        due.clear();
        if (block.queued.isEmpty() && block.needs.isEmpty()) {
            blocks.remove(block(device, size));
        }
    }

    private void startBefore(Block block, long need) {
        List<Queued> due = new ArrayList<>();
        List<Queued> alone = new ArrayList<>();
        for (Queued q : block.queued) {
            if (q.queuedNs() < need) {
                due.add(q);
            } else if (q.queuedNs() == need && q.neededNs() == need) {
                alone.add(q);
            }
        }
        block.queued.removeAll(due);
        block.queued.removeAll(alone);
        due.sort(Comparator.comparingInt(Queued::device));
        Map<Classifier, List<Queued>> byModel = new IdentityHashMap<>();
        List<List<Queued>> cohorts = new ArrayList<>();
        for (Queued q : due) {
            byModel.computeIfAbsent(q.model(), model -> {
                List<Queued> cohort = new ArrayList<>();
                cohorts.add(cohort);
                return cohort;
            }).add(q);
        }
        cohorts.forEach(this::launch);
        alone.forEach(q -> launch(List.of(q)));
    }

    private void launch(List<Queued> cohort) {
        List<Queued> members = List.copyOf(cohort);
        pool.execute(() -> {
            try {
                List<LocalTrainer.Outcome> outcomes = LocalTrainer.trainTogether(members.get(0).model(),
                        members.stream().map(Queued::job).toList());
                org.fedlodrop.simulator.kernel.FailPoint.reach("training", members.get(0).job().progress().round());
                for (int i = 0; i < members.size(); i++) {
                    members.get(i).outcome().complete(outcomes.get(i));
                }
            } catch (Throwable failure) {
                members.forEach(q -> q.outcome().completeExceptionally(failure));
            }
        });
    }
}
