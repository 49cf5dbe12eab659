package org.fedlodrop.models.lora;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The dropout masks of one adapted layer (docs/model.md eq. 2): {@code columns} over the n2 columns of A,
 * {@code rows} over the n1 rows of B; true means kept.
 */
public record LoraMask(boolean[] rows, boolean[] columns) {
    public LoraMask {
        rows = rows.clone();
        columns = columns.clone();
    }

    public static LoraMask full(int n1, int n2) {
        boolean[] rows = new boolean[n1];
        boolean[] columns = new boolean[n2];
        Arrays.fill(rows, true);
        Arrays.fill(columns, true);
        return new LoraMask(rows, columns);
    }

    /** Draws both masks: exact mode drops ⌊γ n⌋ indices uniformly without replacement, Bernoulli keeps each with 1 − γ. */
    public static LoraMask draw(MaskMode mode, int n1, int n2, double gamma, RandomGenerator random) {
        return new LoraMask(draw(mode, n1, gamma, random), draw(mode, n2, gamma, random));
    }

    private static boolean[] draw(MaskMode mode, int n, double gamma, RandomGenerator random) {
        boolean[] kept = new boolean[n];
        Arrays.fill(kept, true);
        if (gamma == 0) {
            return kept;
        }
        if (mode == MaskMode.BERNOULLI) {
            for (int i = 0; i < n; i++) {
                kept[i] = random.nextDouble() >= gamma;
            }
            return kept;
        }
        // Partial Fisher–Yates: the first ⌊γ n⌋ of a random permutation are dropped.
        int drop = (int) Math.floor(gamma * n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < drop; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            kept[order[i]] = false;
        }
        return kept;
    }

    public int keptRows() {
        return count(rows);
    }

    public int keptColumns() {
        return count(columns);
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean kept : mask) {
            if (kept) {
                n++;
            }
        }
        return n;
    }

}
