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

    @Test
    void balancedClassesMakeTheTeachersClassesAboutEquallyFrequent() throws Exception {
        MlpFamily.Settings plain = new MlpFamily.Settings(List.of(32, 64, 64), 10, 4, 3.0);
        MlpFamily.Settings balanced = new MlpFamily.Settings(List.of(32, 64, 64), 10, 4, 3.0, true, 0);
        assertThat(family.defaultSettings().balancedClasses()).isFalse();
        ModelFamily.Lora lora = new ModelFamily.Lora(8, 16, false);
        for (long seed = 1; seed <= 3; seed++) {
            double[] own = shares(family.load(plain, lora, ModelFamily.Workload.SYNTHETIC, Path.of(".")), seed);
            double[] even = shares(family.load(balanced, lora, ModelFamily.Workload.SYNTHETIC, Path.of(".")), seed);
            // A random head favours some classes (seeds 1 to 3: the rarest under 5 %, the commonest over 15 %);
            // the fitted bias brings every class within 3 points of 1/10 on a test set it was not fitted on.
            assertThat(java.util.Arrays.stream(own).max().orElseThrow()
                    - java.util.Arrays.stream(own).min().orElseThrow()).isGreaterThan(0.10);
            for (double share : even) {
                assertThat(share).isBetween(0.07, 0.13);
            }
        }
    }

    @Test
    void aTaskSeedKeepsTheTaskAndItsTestSetAcrossRunSeedsAndDrawsTheSamplesFromTheRun() throws Exception {
        ModelFamily.Lora lora = new ModelFamily.Lora(2, 4, false);
        ModelFamily.Loaded shared = family.load(new MlpFamily.Settings(List.of(6, 10), 3, 2, 1.5, false, 42), lora,
                ModelFamily.Workload.SYNTHETIC, Path.of("."));
        ModelFamily.SyntheticTask one = shared.synthetic(50, 20, 0, new SplittableRandom(1), new SplittableRandom(2));
        ModelFamily.SyntheticTask two = shared.synthetic(50, 20, 0, new SplittableRandom(3), new SplittableRandom(4));
        assertThat(two.student().layers().get(0).frozen()).isEqualTo(one.student().layers().get(0).frozen());
        assertThat(two.test().features()).isEqualTo(one.test().features());
        assertThat(two.test().labels()).isEqualTo(one.test().labels());
        assertThat(two.pool().features()).isNotEqualTo(one.pool().features());
        // Without one (0, the default) each run's streams draw their own task.
        ModelFamily.Loaded own = family.load(new MlpFamily.Settings(List.of(6, 10), 3, 2, 1.5), lora,
                ModelFamily.Workload.SYNTHETIC, Path.of("."));
        assertThat(own.synthetic(50, 20, 0, new SplittableRandom(3), new SplittableRandom(4)).student().layers().get(0)
                .frozen()).isNotEqualTo(own.synthetic(50, 20, 0, new SplittableRandom(1), new SplittableRandom(2))
                .student().layers().get(0).frozen());
        assertThat(family.check(new MlpFamily.Settings(List.of(6, 10), 3, 2, 1.5, false, -1)))
                .containsExactly(new SettingProblem("task_seed", "expected an integer from 0 to 9223372036854775807, got -1"));
    }

    /** The class shares of 20,000 test samples of the task drawn with this seed. */
    private static double[] shares(ModelFamily.Loaded loaded, long seed) {
        ModelFamily.SyntheticTask task = loaded.synthetic(10, 20_000, 0, new SplittableRandom(seed),
                new SplittableRandom(seed + 100));
        double[] shares = new double[task.classes()];
        for (int label : task.test().labels()) {
            shares[label] += 1.0 / task.test().size();
        }
        return shares;
    }
}
