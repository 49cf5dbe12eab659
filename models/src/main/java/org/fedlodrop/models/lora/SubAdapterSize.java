package org.fedlodrop.models.lora;

import org.fedlodrop.models.profile.ModelProfile;

/**
 * How many parameters a sub-adapter carries: the kept LoRA entries and the whole trained head.
 * Dropped rows and columns are neither trained nor sent (docs/model.md §1).
 */
public record SubAdapterSize(long keptLoraParameters, long headParameters) {
    public SubAdapterSize {
        if (keptLoraParameters < 0 || headParameters < 0) {
            throw new IllegalArgumentException("parameter counts must be non-negative");
        }
    }

    public long parameters() {
        return keptLoraParameters + headParameters;
    }

    /**
     * The upload, docs/model.md eq. 5: the kept LoRA entries at q bits (below 32 the device rounds them) and the
     * head, which is not rounded, at full precision.
     */
    public double uploadBits(int bitsPerParameter) {
        return (double) bitsPerParameter * keptLoraParameters + (double) ModelProfile.unrounded(bitsPerParameter) * headParameters;
    }

    /**
     * The download (docs/model.md eq. 5): the sub-adapter as the base station holds it, unrounded; or, rounded,
     * its kept LoRA entries at q bits and the head whole.
     */
    public double downloadBits(int bitsPerParameter, boolean rounded) {
        return rounded ? uploadBits(bitsPerParameter) : (double) ModelProfile.unrounded(bitsPerParameter) * parameters();
    }
}
