package org.fedlodrop.models.family.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.junit.jupiter.api.Test;

/** The mlp family's settings, checks and synthetic task. */
class MlpFamilyTest {
    private final MlpFamily family = new MlpFamily();

    @Test
    void itsDefaultsPassAndItsRangesAreChecked() {
        assertThat(family.check(family.defaultSettings())).isEmpty();
        assertThat(family.check(new MlpFamily.Settings(List.of(8), 1, 0, -1))).extracting(SettingProblem::field)
                .containsExactly("widths", "classes", "teacher_rank", "teacher_perturbation");
        assertThat(family.check(new MlpFamily.Settings(List.of(8, 0), 4, 4, 3)))
                .containsExactly(new SettingProblem("widths[1]", "expected an integer from 1 to 4096, got 0"));
        assertThat(family.workloads()).containsExactly(ModelFamily.Workload.SYNTHETIC);
    }

    @Test
    void aRankWiderThanALayerIsRefusedWhenLoaded() {
        assertThatThrownBy(() -> family.load(new MlpFamily.Settings(List.of(8, 16), 4, 4, 3),
                new ModelFamily.Lora(9, 18, false), ModelFamily.Workload.SYNTHETIC, Path.of(".")))
                .isInstanceOfSatisfying(FamilyInputException.class, e -> assertThat(e.problems()).containsExactly(
                        new FamilyInputException.Problem("", 0, "widths[0]", "expected at least model.rank (9), got 8")));
    }

    @Test
    void theSyntheticTaskIsTheTeacherStudentWorkloadOfItsSettings() throws Exception {
        ModelFamily.Loaded loaded = family.load(new MlpFamily.Settings(List.of(6, 10), 3, 2, 1.5),
                new ModelFamily.Lora(2, 4, false), ModelFamily.Workload.SYNTHETIC, Path.of("."));
        ModelFamily.SyntheticTask task = loaded.synthetic(50, 20, 0.1, new SplittableRandom(1), new SplittableRandom(2));
        assertThat(task.pool().size()).isEqualTo(50);
        assertThat(task.test().size()).isEqualTo(20);
        assertThat(task.classes()).isEqualTo(3);
        assertThat(task.student().layers()).hasSize(1);
        assertThat(task.student().layers().get(0).frozen().shape()).containsExactly(10, 6);
        // The same streams give the same task: everything random comes from them.
        ModelFamily.SyntheticTask again = loaded.synthetic(50, 20, 0.1, new SplittableRandom(1), new SplittableRandom(2));
        assertThat(again.pool().features()).isEqualTo(task.pool().features());
        assertThat(again.test().labels()).isEqualTo(task.test().labels());
    }
}
