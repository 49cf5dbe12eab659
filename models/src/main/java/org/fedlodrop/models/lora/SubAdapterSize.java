package org.fedlodrop.models.lora;

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

    /** Payload in bits with {@code bitsPerParameter} bits each (docs/model.md eq. 5). */
    public double bits(int bitsPerParameter) {
        return (double) bitsPerParameter * parameters();
    }
}
