package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.models.profile.ModelProfile;
import org.junit.jupiter.api.Test;

class ModelCatalogueTest {
    @Test
    void robertaBaseHasLoraOnQueryAndValueOfTwelveBlocks() {
        ModelProfile roberta = ModelCatalogue.find("roberta-base").orElseThrow();
        assertThat(roberta.adaptedLayers()).hasSize(24);
        // r (n1 + n2) per matrix: 4 (768 + 768) = 6,144, times 24 matrices.
        assertThat(roberta.loraParameters(4)).isEqualTo(147_456);
        // dense 768x768 + 768, out_proj 768x2 + 2
        assertThat(roberta.headParameters()).isEqualTo(592_130);
    }

    @Test
    void gpt2AdaptsTheFusedAttentionProjection() {
        ModelProfile gpt2 = ModelCatalogue.find("gpt2").orElseThrow();
        assertThat(gpt2.loraParameters(8)).isEqualTo(12L * 8 * (2304 + 768));
        assertThat(gpt2.headParameters()).isZero();
    }

    @Test
    void flopsPerSampleFollowTheStatedCounts() {
        ModelProfile llama = ModelCatalogue.find("llama-7b").orElseThrow();
        assertThat(llama.frozenFlopsPerSample()).isEqualTo(4.0 * 6_738_415_616L * 256);
        assertThat(llama.loraFlopsPerSample(4)).isEqualTo(6.0 * 64 * 4 * (4096 + 4096) * 256);
    }

    @Test
    void catalogueListsNamesInOrder() {
        assertThat(ModelCatalogue.names()).containsExactly("gpt2", "llama-7b", "roberta-base", "roberta-large");
        assertThat(ModelCatalogue.find("bert")).isEmpty();
    }
}
