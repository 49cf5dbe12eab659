package org.fedlodrop.models.lora;

import java.util.random.RandomGenerator;
import org.fedlodrop.models.profile.AdaptedLayer;
import org.fedlodrop.models.profile.ModelProfile;

/**
 * Counts what a sub-adapter keeps when the server drops a fraction γ of the columns of every A_u
 * and of the rows of every B_u (docs/model.md eq. 2). Each kept column of A carries r entries, and so
 * does each kept row of B.
 */
public final class SubAdapterCut {
    private SubAdapterCut() {
    }

    /** Exact mode: every layer drops exactly ⌊γ n⌋ columns of A and ⌊γ n⌋ rows of B. */
    public static SubAdapterSize exact(ModelProfile profile, int rank, double gamma) {
        checkGamma(gamma);
        long kept = 0;
        for (AdaptedLayer layer : profile.adaptedLayers()) {
            long keptColumns = layer.columns() - (long) Math.floor(gamma * layer.columns());
            long keptRows = layer.rows() - (long) Math.floor(gamma * layer.rows());
            kept += (long) rank * (keptColumns + keptRows);
        }
        return new SubAdapterSize(kept, profile.headParameters());
    }

    /** Bernoulli mode: every index is kept independently with probability 1 − γ. */
    public static SubAdapterSize bernoulli(ModelProfile profile, int rank, double gamma, RandomGenerator random) {
        checkGamma(gamma);
        long kept = 0;
        for (AdaptedLayer layer : profile.adaptedLayers()) {
            kept += (long) rank * (keptIndices(layer.columns(), gamma, random) + keptIndices(layer.rows(), gamma, random));
        }
        return new SubAdapterSize(kept, profile.headParameters());
    }

    public static SubAdapterSize cut(MaskMode mode, ModelProfile profile, int rank, double gamma, RandomGenerator random) {
        return switch (mode) {
            case EXACT -> exact(profile, rank, gamma);
            case BERNOULLI -> bernoulli(profile, rank, gamma, random);
        };
    }

    private static long keptIndices(int n, double gamma, RandomGenerator random) {
        long kept = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() >= gamma) {
                kept++;
            }
        }
        return kept;
    }

    private static void checkGamma(double gamma) {
        if (!(gamma >= 0 && gamma < 1)) {
            throw new IllegalArgumentException("dropout rate must lie in [0, 1), got " + gamma);
        }
    }
}
