package org.fedlodrop.models.family.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformer family's settings, checks, checkpoint reading and text model. */
class TransformerFamilyTest {
    @TempDir
    Path temp;

    private final TransformerFamily family = new TransformerFamily();

    @Test
    void itsShapeAndProjectionsAreChecked() {
        assertThat(family.check(family.defaultSettings())).isEmpty();
        TransformerFamily.Settings odd = new TransformerFamily.Settings("", List.of(AdaptedProjection.QUERY,
                AdaptedProjection.QUERY), new TransformerFamily.Shape(8, 1, 3, 16, 8, 100));
        assertThat(family.check(odd)).containsExactly(
                new SettingProblem("transformer.heads", "expected a divisor of model.transformer.width (8), got 3"),
                new SettingProblem("adapted", "expected each projection at most once, got [query, query]"));
    }

    @Test
    void aMissingCheckpointIsNamedWithItsField() {
        TransformerFamily.Settings settings = new TransformerFamily.Settings("nowhere.safetensors",
                List.of(AdaptedProjection.VALUE), new TransformerFamily.Shape(8, 1, 2, 16, 8, 100));
        assertThatThrownBy(() -> family.load(settings, new ModelFamily.Lora(2, 4, false),
                ModelFamily.Workload.TEXT_CLASSIFICATION, temp))
                .isInstanceOfSatisfying(FamilyInputException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.file()).isEqualTo(temp.resolve("nowhere.safetensors").toString());
                            assertThat(p.message()).isEqualTo("no such checkpoint file (model.checkpoint); make one"
                                    + " with fedlodrop pretrain");
                        }));
    }

    @Test
    void aRandomBaseOfItsShapeClassifiesTheTrainingLabels() throws Exception {
        TransformerFamily.Settings settings = new TransformerFamily.Settings("", List.of(AdaptedProjection.QUERY,
                AdaptedProjection.FF_OUT), new TransformerFamily.Shape(8, 2, 2, 16, 6, 100));
        ModelFamily.Loaded loaded = family.load(settings, new ModelFamily.Lora(2, 4, false),
                ModelFamily.Workload.TEXT_CLASSIFICATION, temp);
        assertThat(loaded.rankLimit()).contains(new ModelFamily.RankLimit(8, "the transformer width"));
        LabelledText texts = new LabelledText(List.of("a good film", "a bad film", "good good"), List.of("pos", "neg", "pos"),
                new int[] {1, 2, 3}, List.of("", "", ""));
        LabelSet labels = LabelSet.of(texts.labels());
        try (ModelFamily.TextModel model = loaded.text(labels, texts, new SplittableRandom(3))) {
            assertThat(model.model().classes()).isEqualTo(2);
            // Two blocks, two adapted projections each.
            assertThat(model.model().layers()).hasSize(4);
            assertThat(model.encoder().encode(texts, temp.resolve("t.tsv")).features().shape()).containsExactly(3, 6);
        }
    }
}
