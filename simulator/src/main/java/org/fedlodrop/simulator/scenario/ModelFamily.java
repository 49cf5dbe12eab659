package org.fedlodrop.simulator.scenario;

/** The small model that learns ({@code model.family}). */
public enum ModelFamily {
    /** Frozen tanh layers with LoRA on each, for the synthetic workload. */
    MLP,
    /** A pre-norm transformer encoder classifier, for text classification. */
    TRANSFORMER,
    /** A pretrained BERT encoder ({@code model.checkpoint}: minilm-l6, or an ONNX export), for text classification. */
    BERT
}
