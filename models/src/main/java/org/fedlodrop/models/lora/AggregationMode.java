package org.fedlodrop.models.lora;

/** How the server combines the devices' sub-adapters (docs/model.md eq. 4). */
public enum AggregationMode {
    /** Each entry: the data-weighted mean over the devices that kept it; entries nobody kept keep their value. */
    MASKED_MEAN,
    /** Plain FedAvg of the zero-filled sub-adapters (the authors' code's {@code normal}). */
    ZERO_FILL_MEAN,
    /** FedEx-LoRA: mean A and mean B, and the residual mean(s B_k A_k) − s mean(B) mean(A) folded into W0. */
    EXACT
}
