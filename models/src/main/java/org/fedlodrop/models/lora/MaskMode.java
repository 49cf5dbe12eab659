package org.fedlodrop.models.lora;

/** How the server draws the row and column masks of a sub-adapter (docs/model.md §1, after eq. 2). */
public enum MaskMode {
    /** Drops exactly ⌊γ n⌋ indices, chosen uniformly without replacement (the authors' code). */
    EXACT,
    /** Keeps each index independently with probability 1 − γ (the paper's definition). */
    BERNOULLI
}
