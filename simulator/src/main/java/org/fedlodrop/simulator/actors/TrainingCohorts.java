package org.fedlodrop.simulator.actors;

import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>A device queues its training when its download ends and needs the result when its computation
 * ends, later in virtual time. At each virtual time at which some device needs its result, everything
 * queued before that time and not yet started starts; a training queued at the very time it is needed (a
 * computation of no duration) starts on its own. Each such set is cut, in device order, into cohorts of
 * at most {@code training.cohort} devices, each one task on the pool. Which devices share a cohort decides
 * the order of float summation in the stacked products, so it must depend only on the scenario: the
 * clock lets a coupled device ask for its result only once every download ending earlier has been
 * handled ({@link org.fedlodrop.simulator.kernel.SimEvent#feedsCohorts}), and since every training
 * says when it will be needed, a device that asks first while an earlier need is still to come starts the
 * earlier sets first, exactly as they would have started. Runs stay byte-identical on any number of
 * threads, whatever order the devices of a window ask in.
 */
public final class TrainingCohorts {
    private final Executor pool;
    private final int size;
    /** Guarded by {@code this}: trainings not started yet. */
    private final List<Queued> queued = new ArrayList<>();
    /** Guarded by {@code this}: the virtual times at which trainings are needed, not yet passed. */
    private final TreeSet<Long> needs = new TreeSet<>();

    private record Queued(int device, long queuedNs, long neededNs, Classifier model, LocalTrainer.Job job,
                          CompletableFuture<LocalTrainer.Outcome> outcome) {
    }

    /** Cohorts of at most {@code size} devices (1: every device trains alone) on {@code pool}. */
    public TrainingCohorts(Executor pool, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cohort has at least one device, not " + size);
        }
        this.pool = pool;
        this.size = size;
    }

    /** The most devices in one cohort. */
    public int size() {
        return size;
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
        queued.add(new Queued(device, nowNs, neededNs, model, job, outcome));
        needs.add(neededNs);
        return outcome;
    }

    /**
     * Called by {@code device} when it needs its result at virtual time {@code nowNs}: starts, need by need up
     * to {@code nowNs}, every training queued before that need (and alone, each queued at its very need).
     */
    public synchronized void start(int device, long nowNs) {
        SortedSet<Long> due = needs.headSet(nowNs, true);
        for (long need : due) {
            startBefore(need);
        }
        due.clear();
    }

    private void startBefore(long need) {
        List<Queued> due = new ArrayList<>();
        List<Queued> alone = new ArrayList<>();
        for (Queued q : queued) {
            if (q.queuedNs() < need) {
                due.add(q);
            } else if (q.queuedNs() == need && q.neededNs() == need) {
                alone.add(q);
            }
        }
        queued.removeAll(due);
        queued.removeAll(alone);
        due.sort(Comparator.comparingInt(Queued::device));
        Map<Classifier, List<Queued>> byModel = new IdentityHashMap<>();
        List<List<Queued>> groups = new ArrayList<>();
        for (Queued q : due) {
            byModel.computeIfAbsent(q.model(), model -> {
                List<Queued> group = new ArrayList<>();
                groups.add(group);
                return group;
            }).add(q);
        }
        for (List<Queued> group : groups) {
            for (int from = 0; from < group.size(); from += size) {
                launch(group.subList(from, Math.min(group.size(), from + size)));
            }
        }
        alone.forEach(q -> launch(List.of(q)));
    }
    private void launch(List<Queued> cohort) {
        List<Queued> members = List.copyOf(cohort);
        pool.execute(() -> {
            try {
                List<LocalTrainer.Outcome> outcomes = LocalTrainer.trainTogether(members.get(0).model(),
                        members.stream().map(Queued::job).toList());
                for (int i = 0; i < members.size(); i++) {
                    members.get(i).outcome().complete(outcomes.get(i));
                }
            } catch (Throwable failure) {
                members.forEach(q -> q.outcome().completeExceptionally(failure));
            }
        });
    }
}
