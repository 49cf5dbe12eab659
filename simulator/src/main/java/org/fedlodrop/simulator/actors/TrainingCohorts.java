package org.fedlodrop.simulator.actors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.train.LocalTrainer;

/**
 * Starts devices' local training on the run's pool in cohorts: devices that train the same model in the
 * same round run in lock step, their frozen products stacked ({@link LocalTrainer#trainTogether}).
 *
 * <p>A device queues its training when its download ends and needs the result when its computation
 * ends, later in virtual time. Whichever device needs a result first starts everything queued before
 * that virtual time: the clock finishes every earlier time before it delivers a later one, so that set is
 * the same on every run, whatever the threads do; a training queued at the very time it is needed (a
 * computation of no duration) starts on its own. The set is cut, in device order, into cohorts of at
 * most {@code training.cohort} devices, each one task on the pool. Which devices share a cohort decides
 * the order of float summation in the stacked products, so it depends only on the scenario, never on
 * the number of threads: runs stay byte-identical on any number.
 */
public final class TrainingCohorts {
    private final Executor pool;
    private final int size;
    /** Guarded by {@code this}. */
    private final List<Queued> queued = new ArrayList<>();

    private record Queued(int device, long queuedNs, Classifier model, LocalTrainer.Job job,
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

    /** Queues {@code device}'s training at virtual time {@code nowNs}; it starts at {@link #start} at the latest. */
    public synchronized CompletableFuture<LocalTrainer.Outcome> queue(int device, long nowNs, Classifier model,
                                                                      LocalTrainer.Job job) {
        CompletableFuture<LocalTrainer.Outcome> outcome = new CompletableFuture<>();
        queued.add(new Queued(device, nowNs, model, job, outcome));
        return outcome;
    }

    /**
     * Called by {@code device} when it needs its result at virtual time {@code nowNs}: starts every training
     * queued before {@code nowNs}, and {@code device}'s own if it is still queued (alone, when queued at
     * {@code nowNs}).
     */
    public synchronized void start(int device, long nowNs) {
        List<Queued> due = new ArrayList<>();
        List<Queued> alone = new ArrayList<>();
        for (Queued q : queued) {
            if (q.queuedNs() < nowNs) {
                due.add(q);
            } else if (q.device() == device) {
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
