package org.fedlodrop.models.profile;

import java.util.List;
import org.fedlodrop.models.profile.AdaptedLayer;

/**
 * A nominal language model whose sizes set the payload and computation of a round, so that costs
 * are those of a real LLM while the learning (if any) runs on a small model (docs/model.md §1, eq. 5).
 *
 * @param name              catalogue name, e.g. {@code roberta-base}
 * @param frozenParameters  parameters of the frozen base model
 * @param adaptedLayers     the weight matrices carrying LoRA adapters
 * @param headParameters    trained parameters outside LoRA (classification head), sent whole: H in eq. 5
 * @param sequenceLength    tokens per training sample
 */
public record ModelProfile(String name, long frozenParameters, List<AdaptedLayer> adaptedLayers,
                           long headParameters, int sequenceLength) {
    public ModelProfile {
        adaptedLayers = List.copyOf(adaptedLayers);
        if (frozenParameters < 1 || headParameters < 0 || sequenceLength < 1 || adaptedLayers.isEmpty()) {
            throw new IllegalArgumentException("invalid model profile " + name);
        }
    }

    /** Bits per parameter of what is not rounded: float32, or q where a scenario asks for more. */
    public static final int FULL_PRECISION = 32;

    /** What travels unrounded costs this many bits per parameter at q bits per rounded one. */
    public static int unrounded(int bitsPerParameter) {
        return Math.max(bitsPerParameter, FULL_PRECISION);
    }

    /** All LoRA parameters at rank r: {@code Σ_u r (n1_u + n2_u)}. */
    public long loraParameters(int rank) {
        // A loop, not a stream: the costs of every device and round ask for this (a stream pipeline per call
        // was 1 % of bench kernel).
        long parameters = 0;
        for (AdaptedLayer layer : adaptedLayers) {
            parameters += layer.loraParameters(rank);
        }
        return parameters;
    }

    /**
     * Expected upload in bits, docs/model.md eq. 5: {@code q (1 − γ) Σ_u r (n1_u + n2_u) + q̄ H}, the head unrounded
     * ({@code q̄ = max(q, 32)}).
     */
    public double expectedUploadBits(int rank, double gamma, int bitsPerParameter) {
        return bitsPerParameter * (1 - gamma) * loraParameters(rank)
                + (double) unrounded(bitsPerParameter) * headParameters;
    }

    /**
     * Expected download in bits: the sub-adapter unrounded, {@code q̄ [(1 − γ) Σ_u r (n1_u + n2_u) + H]}, or rounded
     * as the upload is.
     */
    public double expectedDownloadBits(int rank, double gamma, int bitsPerParameter, boolean rounded) {
        return rounded ? expectedUploadBits(rank, gamma, bitsPerParameter)
                : unrounded(bitsPerParameter) * ((1 - gamma) * loraParameters(rank) + headParameters);
    }

    /**
     * Bits of one cell's model on the backhaul, each way (docs/hierarchy.md): the whole adapter and head unrounded,
     * {@code q̄ [Σ_u r (n1_u + n2_u) + H]}, and the W0 change that {@code exact} aggregation of at most
     * {@code foldedUpdates} updates since the last merge made, as {@link #foldedResidualBits} sends it (0: none).
     */
    public double backhaulBits(int rank, int bitsPerParameter, int foldedUpdates) {
        return unrounded(bitsPerParameter) * (double) (loraParameters(rank) + headParameters)
                + foldedResidualBits(rank, foldedUpdates, bitsPerParameter);
    }

    /**
     * Bits a device must download, besides its sub-adapter, after {@code exact} aggregation of
     * {@code senders} updates changed W0 (docs/model.md eq. 4): per adapted layer the residual
     * {@code mean_k(s B_k A_k) − s B̄ Ā}, sent in factored form, {@code [B_1 … B_K B̄]} and
     * {@code [A_1; …; A_K; Ā]} with {@code (K + 1) r (n1 + n2)} numbers, or dense ({@code n1 n2}),
     * whichever is smaller, unrounded ({@code max(q, 32)} bits each: every device must fold the same W0). One
     * sender or none leaves W0 unchanged, so nothing is sent.
     */
    public double foldedResidualBits(int rank, int senders, int bitsPerParameter) {
        if (senders < 2) {
            return 0;
        }
        double numbers = 0;
        for (AdaptedLayer layer : adaptedLayers) {
            double factored = (senders + 1.0) * layer.loraParameters(rank);
            numbers += Math.min(factored, (double) layer.rows() * layer.columns());
        }
        return unrounded(bitsPerParameter) * numbers;
    }

    /**
     * FLOPs of one training sample through the frozen model: a forward pass (2 N per token) and a
     * backward pass through the activations only (2 N per token), since frozen weights need no
     * weight gradient.
     */
    public double frozenFlopsPerSample() {
        return 4.0 * frozenParameters * sequenceLength;
    }

    /** FLOPs of one training sample through the full LoRA factors: forward, input and weight gradients (6 per parameter and token). */
    public double loraFlopsPerSample(int rank) {
        return 6.0 * loraParameters(rank) * sequenceLength;
    }
}
