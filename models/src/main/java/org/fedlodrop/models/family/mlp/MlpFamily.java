package org.fedlodrop.models.family.mlp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.fedlodrop.api.SettingChecks;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code mlp} family: frozen tanh layers with LoRA on each, learning the synthetic teacher–student
 * workload (docs/models.md, The synthetic workload; {@link TeacherStudent}).
 */
public final class MlpFamily implements ModelFamily<MlpFamily.Settings> {
    /**
     * @param widths              layer widths, input first (2 to 12 of them)
     * @param classes             the classes of the synthetic task
     * @param teacherRank         rank of the teacher's perturbation of the frozen layers
     * @param teacherPerturbation size of that perturbation
     * @param balancedClasses     whether the teacher's head bias is fitted so that its classes are about equally
     *                            frequent ({@link TeacherStudent#balanced}); false keeps the random head's own balance
     * @param taskSeed            0: the task (frozen base, teacher, starting adapter, test set) is drawn from the
     *                            run's seed, so every seed is another task; otherwise from this seed, so that runs
     *                            with different seeds share one task, as they share a corpus's files, and differ in
     *                            the training samples drawn, how they are dealt, the fleet, the channel and the masks
     */
    public record Settings(List<Integer> widths, int classes, int teacherRank, double teacherPerturbation,
                           boolean balancedClasses, long taskSeed) {
        public Settings {
            widths = List.copyOf(widths);
        }

        public Settings(List<Integer> widths, int classes, int teacherRank, double teacherPerturbation) {
            this(widths, classes, teacherRank, teacherPerturbation, false, 0);
        }
    }

    @Override
    public String type() {
        return "mlp";
    }

    @Override
    public String summary() {
        return "frozen tanh layers with LoRA on each, for the synthetic teacher-student workload";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings(List.of(32, 64, 64), 4, 4, 3.0, false, 0);
    }

    @Override
    public List<SettingProblem> check(Settings s) {
        SettingChecks c = new SettingChecks();
        if (s.widths().size() < 2 || s.widths().size() > 12) {
            c.fail("widths", "expected 2 to 12 layer widths (input first), got " + s.widths().size());
        }
        for (int i = 0; i < s.widths().size(); i++) {
            c.between("widths[" + i + "]", s.widths().get(i), 1, 4096);
        }
        return c.between("classes", s.classes(), 2, 1000)
                .between("teacher_rank", s.teacherRank(), 1, 4096)
                .between("teacher_perturbation", s.teacherPerturbation(), 0, 1e3)
                .between("task_seed", s.taskSeed(), 0, Long.MAX_VALUE)
                .problems();
    }

    @Override
    public Set<Workload> workloads() {
        return Set.of(Workload.SYNTHETIC);
    }

    @Override
    public boolean denseTraining() {
        return true;
    }

    @Override
    public Loaded load(Settings settings, Lora lora, Workload workload, Path folder) throws FamilyInputException {
        List<FamilyInputException.Problem> problems = new ArrayList<>();
        for (int i = 0; i < settings.widths().size(); i++) {
            if (settings.widths().get(i) < lora.rank()) {
                problems.add(new FamilyInputException.Problem("", 0, "widths[" + i + "]", "expected at least model.rank ("
                        + lora.rank() + "), got " + settings.widths().get(i)));
            }
        }
        if (!problems.isEmpty()) {
            throw new FamilyInputException(problems);
        }
        return new Loaded() {
            @Override
            public Record settings() {
                return settings;
            }

            @Override
            public SyntheticTask synthetic(int samples, int testSamples, double labelNoise, RandomGenerator task,
                                           RandomGenerator test) {
                int[] widths = settings.widths().stream().mapToInt(Integer::intValue).toArray();
                TeacherStudent workload = new TeacherStudent(widths, settings.classes(), settings.teacherRank(),
                        settings.teacherPerturbation(), labelNoise);
                // A task seed of its own draws the task and its test set apart from the run's streams.
                boolean own = settings.taskSeed() != 0;
                RandomGenerator taskDraws = own ? new SplittableRandom(settings.taskSeed()) : task;
                TeacherStudent.Task built = workload.build(lora.rank(), lora.alpha(), lora.rsLora(), DataType.FLOAT,
                        taskDraws);
                if (settings.balancedClasses()) {
                    built = workload.balanced(built, DataType.FLOAT, taskDraws);
                }
                Dataset pool = workload.sample(built, samples, DataType.FLOAT, task);
                Dataset testSet = workload.sample(built, testSamples, DataType.FLOAT, own ? taskDraws : test);
                return new SyntheticTask(built.student(), built.initial(), pool, testSet, settings.classes());
            }
        };
    }
}
