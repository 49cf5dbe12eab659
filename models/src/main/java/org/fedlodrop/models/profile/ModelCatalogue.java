package org.fedlodrop.models.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedlodrop.models.profile.AdaptedLayer;

/**
 * The nominal model profiles a scenario can name in {@code model.profile}. Sizes are those of the
 * published checkpoints with LoRA on the attention query and value projections (GPT-2: on the fused
 * {@code c_attn}), and a two-class classification head where the model is used as a classifier.
 */
public final class ModelCatalogue {
    private static final Map<String, ModelProfile> PROFILES = build();

    private ModelCatalogue() {
    }

    public static Optional<ModelProfile> find(String name) {
        return Optional.ofNullable(PROFILES.get(name));
    }

    public static List<String> names() {
        return List.copyOf(PROFILES.keySet());
    }

    private static Map<String, ModelProfile> build() {
        Map<String, ModelProfile> profiles = new TreeMap<>();
        // RoBERTa: encoder blocks of width d; head = dense d×d + bias, out_proj d×2 + bias.
        profiles.put("roberta-base", new ModelProfile("roberta-base", 124_645_632L,
                queryValue(12, 768), classifierHead(768), 128));
        profiles.put("roberta-large", new ModelProfile("roberta-large", 355_359_744L,
                queryValue(24, 1024), classifierHead(1024), 128));
        // GPT-2 small: LoRA on the fused QKV projection c_attn (768 -> 2304); language-model head is tied, not trained.
        List<AdaptedLayer> gpt2 = new ArrayList<>();
        for (int block = 0; block < 12; block++) {
            gpt2.add(new AdaptedLayer("h." + block + ".attn.c_attn", 3 * 768, 768));
        }
        profiles.put("gpt2", new ModelProfile("gpt2", 124_439_808L, gpt2, 0, 128));
        profiles.put("llama-7b", new ModelProfile("llama-7b", 6_738_415_616L,
                queryValue(32, 4096), 0, 256));
        return Collections.unmodifiableMap(profiles);
    }

    private static List<AdaptedLayer> queryValue(int blocks, int width) {
        List<AdaptedLayer> layers = new ArrayList<>();
        for (int block = 0; block < blocks; block++) {
            layers.add(new AdaptedLayer("layer." + block + ".attention.query", width, width));
            layers.add(new AdaptedLayer("layer." + block + ".attention.value", width, width));
        }
        return layers;
    }

    private static long classifierHead(int width) {
        return (long) width * width + width + (long) width * 2 + 2;
    }
}
