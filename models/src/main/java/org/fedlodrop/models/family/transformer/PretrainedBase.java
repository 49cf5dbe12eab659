package org.fedlodrop.models.family.transformer;

import java.util.Map;
import org.fedlodrop.models.text.Vocabulary;

/**
 * A transformer base from {@code fedlodrop pretrain}: its shape, frozen weights, the vocabulary its
 * token ids mean, and how it was made (metadata saved in the checkpoint).
 */
public record PretrainedBase(TransformerClassifier.Shape shape, TransformerClassifier.Weights weights,
                             Vocabulary vocabulary, Map<String, String> provenance) {
    public PretrainedBase {
        provenance = Map.copyOf(provenance);
    }
}
