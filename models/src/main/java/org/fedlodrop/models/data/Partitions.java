package org.fedlodrop.models.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.random.Variates;

/**
 * Splits a training set over devices: IID, Dirichlet(α) label skew, a few classes per device (label shards),
 * Dirichlet(α) quantity skew, or by group.
 * Every sample goes to exactly one device, and every device gets at least one sample.
 */
public final class Partitions {
    private Partitions() {
    }

    /** Shuffled, then dealt out in near-equal parts. */
    public static List<int[]> iid(int samples, int devices, RandomGenerator random) {
        int[] order = permutation(samples, random);
        List<int[]> parts = new ArrayList<>();
        for (int k = 0; k < devices; k++) {
            int from = (int) ((long) samples * k / devices);
            int to = (int) ((long) samples * (k + 1) / devices);
            parts.add(java.util.Arrays.copyOfRange(order, from, to));
        }
        return parts;
    }

    /** Shuffled, then dealt out in parts of the given sizes (a heterogeneous fleet's D_k, in device order). */
    public static List<int[]> iid(int[] sizes, RandomGenerator random) {
        int samples = java.util.Arrays.stream(sizes).sum();
        int[] order = permutation(samples, random);
        List<int[]> parts = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            parts.add(java.util.Arrays.copyOfRange(order, from, from + size));
            from += size;
        }
        return parts;
    }

    /** Each class's samples are shared among devices in proportions drawn from Dirichlet(α): small α, strong skew. */
    public static List<int[]> labelSkew(int[] labels, int classes, int devices, double alpha, RandomGenerator random) {
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k < devices; k++) {
            parts.add(new ArrayList<>());
        }
        int[] order = permutation(labels.length, random);
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i : order) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            double[] share = dirichlet(devices, alpha, random);
            double cumulative = 0;
            int from = 0;
            for (int k = 0; k < devices; k++) {
                cumulative += share[k];
                int to = k == devices - 1 ? members.size() : (int) Math.round(cumulative * members.size());
                parts.get(k).addAll(members.subList(from, Math.max(from, to)));
                from = Math.max(from, to);
            }
        }
        return fillEmpty(parts, random);
    }

    /**
     * Each device holds {@code perDevice} of the classes and exactly {@code sizes[k]} samples: the
     * label-based split of McMahan et al. (2017)'s shards and NIID-Bench's "#C = k" (Li et al., ICDE 2022),
     * with every device's D_k kept, so that the skew is in the labels alone. The classes are shuffled and
     * dealt round-robin (device k takes positions k·perDevice … k·perDevice + perDevice − 1, mod the number
     * of classes), so every class goes to about as many devices. Device k then takes its samples from its
     * classes in turn, each class's samples in a shuffled order; a class that runs out is passed over, and
     * when all of a device's classes have run out it takes from the classes with the most samples left, so
     * that every sample of the pool goes to exactly one device whatever the pool's class balance.
     *
     * @param labels the class of each sample of the pool, whose size is the sum of {@code sizes}
     * @return per device, the positions of its samples in the pool
     */
    public static List<int[]> labelShards(int[] labels, int classes, int[] sizes, int perDevice,
                                          RandomGenerator random) {
        if (java.util.Arrays.stream(sizes).sum() != labels.length) {
            throw new IllegalArgumentException("the sizes must add up to the pool's " + labels.length + " samples");
        }
        int[] order = permutation(labels.length, random);
        List<java.util.ArrayDeque<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new java.util.ArrayDeque<>());
        }
        for (int i : order) {
            byClass.get(labels[i]).add(i);
        }
        int[] classOrder = permutation(classes, random);
        int held = Math.min(perDevice, classes);
        List<int[]> parts = new ArrayList<>();
        for (int k = 0; k < sizes.length; k++) {
            int[] own = new int[held];
            for (int j = 0; j < held; j++) {
                own[j] = classOrder[(k * held + j) % classes];
            }
            int[] part = new int[sizes[k]];
            int next = 0;
            for (int s = 0; s < part.length; s++) {
                Integer sample = null;
                for (int tries = 0; tries < held && sample == null; tries++) {
                    sample = byClass.get(own[next]).poll();
                    next = (next + 1) % held;
                }
                if (sample == null) {
                    sample = fullest(byClass).poll();
                }
                part[s] = sample;
            }
            parts.add(part);
        }
        return parts;
    }

    /** The class with the most samples left (the lowest index among equals). */
    private static java.util.ArrayDeque<Integer> fullest(List<java.util.ArrayDeque<Integer>> byClass) {
        java.util.ArrayDeque<Integer> best = byClass.get(0);
        for (java.util.ArrayDeque<Integer> queue : byClass) {
            if (queue.size() > best.size()) {
                best = queue;
            }
        }
        return best;
    }

    /** Sizes in proportions drawn from Dirichlet(α), samples otherwise random. */
    public static List<int[]> quantitySkew(int samples, int devices, double alpha, RandomGenerator random) {
        int[] order = permutation(samples, random);
        double[] share = dirichlet(devices, alpha, random);
        List<List<Integer>> parts = new ArrayList<>();
        double cumulative = 0;
        int from = 0;
        for (int k = 0; k < devices; k++) {
            cumulative += share[k];
            int to = k == devices - 1 ? samples : (int) Math.round(cumulative * samples);
            List<Integer> part = new ArrayList<>();
            for (int i = from; i < Math.max(from, to); i++) {
                part.add(order[i]);
            }
            parts.add(part);
            from = Math.max(from, to);
        }
        return fillEmpty(parts, random);
    }

    /** A device left empty takes one sample from the largest part. */
    private static List<int[]> fillEmpty(List<List<Integer>> parts, RandomGenerator random) {
        for (List<Integer> part : parts) {
            if (part.isEmpty()) {
                List<Integer> largest = parts.stream().max(java.util.Comparator.comparingInt(List::size)).orElseThrow();
                if (largest.size() > 1) {
                    part.add(largest.remove(random.nextInt(largest.size())));
                }
            }
        }
        List<int[]> result = new ArrayList<>();
        for (List<Integer> part : parts) {
            result.add(part.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    private static int[] permutation(int n, RandomGenerator random) {
        return Variates.permutation(n, random);
    }

    /** Dirichlet(α, …, α) as normalised Gamma(α) draws. */
    static double[] dirichlet(int n, double alpha, RandomGenerator random) {
        double[] draws = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            draws[i] = Variates.gamma(alpha, random);
            sum += draws[i];
        }
        for (int i = 0; i < n; i++) {
            draws[i] = sum > 0 ? draws[i] / sum : 1.0 / n;
        }
        return draws;
    }

    /**
     * Each device draws its samples from {@code perDevice} of the groups (mailboxes, speakers): the
     * groups are shuffled, device k takes groups k·perDevice … k·perDevice + perDevice − 1 (mod the
     * number of groups), and deals its {@code samples} evenly over them, taking each group's shuffled
     * examples in turn (starting again from the first when a group runs out, so that small groups
     * repeat rather than leave a device short). The non-IID split of a real deployment: a device holds
     * one user's mail or one speaker's words.
     *
     * @param groups the group of each example of the pool
     * @return per device, the positions of its examples in the pool
     */
    public static List<int[]> byGroup(List<String> groups, int devices, int samples, int perDevice,
                                      RandomGenerator random) {
        int[] sizes = new int[devices];
        java.util.Arrays.fill(sizes, samples);
        return byGroup(groups, sizes, perDevice, random);
    }

    /** As above, device k taking {@code sizes[k]} examples (a heterogeneous fleet's D_k). */
    public static List<int[]> byGroup(List<String> groups, int[] sizes, int perDevice, RandomGenerator random) {
        int devices = sizes.length;
        java.util.Map<String, List<Integer>> members = new java.util.TreeMap<>();
        for (int i = 0; i < groups.size(); i++) {
            members.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
        }
        List<String> names = new ArrayList<>(members.keySet());
        int[] order = org.fedlodrop.models.random.Variates.permutation(names.size(), random);
        List<int[]> shuffled = new ArrayList<>();
        for (int o : order) {
            List<Integer> indices = members.get(names.get(o));
            int[] permuted = org.fedlodrop.models.random.Variates.permutation(indices.size(), random);
            int[] positions = new int[indices.size()];
            for (int j = 0; j < positions.length; j++) {
                positions[j] = indices.get(permuted[j]);
            }
            shuffled.add(positions);
        }
        int[] next = new int[shuffled.size()];
        List<int[]> parts = new ArrayList<>();
        for (int k = 0; k < devices; k++) {
            int[] part = new int[sizes[k]];
            for (int s = 0; s < part.length; s++) {
                int g = (k * perDevice + s % perDevice) % shuffled.size();
                int[] pool = shuffled.get(g);
                part[s] = pool[next[g]++ % pool.length];
            }
            parts.add(part);
        }
        return parts;
    }
}
