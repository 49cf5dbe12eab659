package org.fedlodrop.models.family.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.fedlodrop.models.family.transformer.AdaptedProjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bert family's checkpoint: the built-in model by name, its limits, and what an ONNX path needs. */
class BertFamilyTest {
    @TempDir
    Path temp;

    private final BertFamily family = new BertFamily();

    private static BertFamily.Settings settings(String checkpoint, String tokenizer, int layers) {
        return new BertFamily.Settings(checkpoint, tokenizer, 12, List.of(AdaptedProjection.QUERY), layers, 64,
                SentencePooling.MEAN, org.fedlodrop.models.family.bert.WordPieceEncoder.Truncation.HEAD);
    }

    @Test
    void theBuiltInModelIsFoundByNameAndItsBlocksBoundTheLayers() throws Exception {
        ModelFamily.Loaded loaded = family.load(settings("", "", 2), new ModelFamily.Lora(4, 8, false),
                ModelFamily.Workload.TEXT_CLASSIFICATION, temp);
        assertThat(((BertFamily.Settings) loaded.settings()).checkpoint()).isEqualTo("minilm-l6");
        assertThat(loaded.rankLimit()).contains(new ModelFamily.RankLimit(384, "the transformer width"));
        assertThat(loaded.otherInputs()).containsOnlyKeys("model.checkpoint minilm-l6 tokenizer.json");

        assertThatThrownBy(() -> family.load(settings("minilm-l6", "", 7), new ModelFamily.Lora(4, 8, false),
                ModelFamily.Workload.TEXT_CLASSIFICATION, temp))
                .isInstanceOfSatisfying(FamilyInputException.class, e -> assertThat(e.problems()).containsExactly(
                        new FamilyInputException.Problem("", 0, "layers",
                                "expected 0 (all) to 6, the blocks of minilm-l6, got 7")));
    }

    @Test
    void anOnnxExportNeedsItsTokenizerAndAnythingElseIsNamed() {
        assertThatThrownBy(() -> family.load(settings("model.onnx", "", 0), new ModelFamily.Lora(4, 8, false),
                ModelFamily.Workload.TEXT_CLASSIFICATION, temp))
                .isInstanceOfSatisfying(FamilyInputException.class, e -> assertThat(e.problems()).containsExactly(
                        new FamilyInputException.Problem("", 0, "tokenizer",
                                "an ONNX checkpoint needs the path of its tokenizer.json")));
        assertThatThrownBy(() -> family.load(settings("roberta", "", 0), new ModelFamily.Lora(4, 8, false),
                ModelFamily.Workload.TEXT_CLASSIFICATION, temp))
                .isInstanceOfSatisfying(FamilyInputException.class, e -> assertThat(e.problems().get(0).message())
                        .startsWith("expected a built-in model (minilm-l6) or the path of an .onnx export"));
    }
}
