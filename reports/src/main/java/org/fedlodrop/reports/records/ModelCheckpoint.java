package org.fedlodrop.reports.records;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The global model after a run's last round, written to {@code model.safetensors}: per adapted layer
 * {@code layers.U.weight} (the frozen W0, n1×n2), {@code layers.U.lora_A} (r×n2) and
 * {@code layers.U.lora_B} (n1×r), then {@code head.weight} and {@code head.bias}; the metadata
 * holds the format, LoRA scale and rank, and the round.
 */
public record ModelCheckpoint(Map<String, Tensor> tensors, Map<String, String> metadata) implements RunRecord {
    public ModelCheckpoint {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
