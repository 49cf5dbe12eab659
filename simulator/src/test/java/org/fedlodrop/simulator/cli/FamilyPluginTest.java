package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.extension.PluginJars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model family from outside the build (issue 28): compiled on its own against fedlodrop-models and the API (the
 * simulator's classes are not on its class path), found in the
 * plugin directory, named by {@code model.family}; its own fields bound, defaulted, range-checked and located like
 * a built-in family's, and the run learns with the model it builds.
 */
class FamilyPluginTest {
    @TempDir
    static Path temp;
    static Path plugins;

    /** One hidden layer of {@code hidden} units over {@code inputs} features: the synthetic workload on it. */
    private static final String FAMILY = """
            package org.example.family;

            import java.nio.file.Path;
            import java.util.List;
            import java.util.Set;
            import java.util.random.RandomGenerator;
            import org.fedlodrop.api.SettingChecks;
            import org.fedlodrop.api.SettingProblem;
            import org.fedlodrop.models.data.Dataset;
            import org.fedlodrop.models.family.mlp.TeacherStudent;
            import org.fedlodrop.models.family.ModelFamily;
            import org.nd4j.linalg.api.buffer.DataType;

            public final class OneHiddenFamily implements ModelFamily<OneHiddenFamily.Settings> {
                public record Settings(int inputs, int hidden, int classes) {
                }

                public String type() {
                    return "one-hidden";
                }

                public String summary() {
                    return "one hidden layer, for the synthetic workload";
                }

                public Class<Settings> settingsType() {
                    return Settings.class;
                }

                public Settings defaultSettings() {
                    return new Settings(12, 20, 3);
                }

                public List<SettingProblem> check(Settings s) {
                    return new SettingChecks().between("inputs", s.inputs(), 2, 1024).between("hidden", s.hidden(), 2, 1024)
                            .between("classes", s.classes(), 2, 100).problems();
                }

                public Set<Workload> workloads() {
                    return Set.of(Workload.SYNTHETIC);
                }

                public boolean denseTraining() {
                    return true;
                }

                public Loaded load(Settings s, Lora lora, Workload workload, Path folder) {
                    return new Loaded() {
                        public Record settings() {
                            return s;
                        }

                        public SyntheticTask synthetic(int samples, int testSamples, double labelNoise, RandomGenerator task,
                                                       RandomGenerator test) {
                            TeacherStudent workload = new TeacherStudent(new int[] {s.inputs(), s.hidden()}, s.classes(), 2,
                                    3.0, labelNoise);
                            TeacherStudent.Task built = workload.build(lora.rank(), lora.alpha(), lora.rsLora(),
                                    DataType.FLOAT, task);
                            Dataset pool = workload.sample(built, samples, DataType.FLOAT, task);
                            return new SyntheticTask(built.student(), built.initial(), pool,
                                    workload.sample(built, testSamples, DataType.FLOAT, test), s.classes());
                        }
                    };
                }
            }
            """;

    /** A family whose model cannot be built: the run must fail naming it, not as fedlodrop's bug. */
    private static final String BROKEN = """
            package org.example.family;

            import java.nio.file.Path;
            import java.util.Set;
            import java.util.random.RandomGenerator;
            import org.fedlodrop.models.family.ModelFamily;

            public final class BrokenFamily implements ModelFamily<BrokenFamily.Settings> {
                public record Settings() {
                }

                public String type() {
                    return "broken";
                }

                public String summary() {
                    return "builds nothing";
                }

                public Class<Settings> settingsType() {
                    return Settings.class;
                }

                public Settings defaultSettings() {
                    return new Settings();
                }

                public Set<Workload> workloads() {
                    return Set.of(Workload.SYNTHETIC);
                }

                public Loaded load(Settings s, Lora lora, Workload workload, Path folder) {
                    return new Loaded() {
                        public Record settings() {
                            return s;
                        }

                        public SyntheticTask synthetic(int samples, int testSamples, double labelNoise, RandomGenerator task,
                                                       RandomGenerator test) {
                            throw new IllegalStateException("the teacher is missing");
                        }
                    };
                }
            }
            """;

    @BeforeAll
    static void buildTheFamilyPlugin() throws Exception {
        plugins = temp.resolve("plugins");
        PluginJars.build(Map.of("org/example/family/OneHiddenFamily.java", FAMILY,
                        "org/example/family/BrokenFamily.java", BROKEN),
                Map.of("META-INF/services/org.fedlodrop.models.family.ModelFamily",
                        "org.example.family.OneHiddenFamily\norg.example.family.BrokenFamily\n"
                                .getBytes(StandardCharsets.UTF_8)),
                plugins.resolve("family.jar"), withoutTheSimulator());
    }

    /** The test's class path less the simulator's own classes: a family depends on fedlodrop-models and the API. */
    private static String withoutTheSimulator() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains("/simulator/target/"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static List<String> args(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, TestScenarios.quickstart().toString(), "--plugins",
                plugins.toString(), "--set", "devices.count=4", "--set", "rounds=2", "--set", "data.workload=synthetic",
                "--set", "model.family=one-hidden", "--set", "model.rank=2"));
        args.addAll(Arrays.asList(more));
        return args;
    }

    @Test
    void aRunLearnsWithThePluginsModelAndValidatePrintsItsFields() throws Exception {
        CliRunner validated = CliRunner.execute(args("validate", "--set", "model.hidden=24").toArray(String[]::new));
        assertThat(validated.exitCode()).as(validated.err()).isZero();
        assertThat(validated.out()).contains("  family: one-hidden\n", "  inputs: 12\n", "  hidden: 24\n", "  classes: 3\n")
                .doesNotContain("widths");

        Path out = temp.resolve("run");
        CliRunner ran = CliRunner.execute(args("run", "-q", "--set", "model.hidden=24", "--out", out.toString())
                .toArray(String[]::new));
        assertThat(ran.exitCode()).as(ran.err()).isZero();
        // The global model is the plugin's: one adapted layer 12 → 24 and a head over 3 classes, not mlp's 32 → 64 → 64.
        SafeTensors.Contents model = SafeTensors.read(out.resolve(RunFiles.MODEL));
        assertThat(model.tensors().keySet()).containsExactlyInAnyOrder("layers.0.weight", "layers.0.lora_A",
                "layers.0.lora_B", "head.weight", "head.bias");
        assertThat(model.tensors().get("layers.0.weight").shape()).containsExactly(24, 12);
        assertThat(model.tensors().get("layers.0.lora_A").shape()).containsExactly(2, 12);
        assertThat(model.tensors().get("head.weight").shape()).containsExactly(3, 24);
        assertThat(java.nio.file.Files.readString(out.resolve(RunFiles.SCENARIO))).contains("family: one-hidden", "hidden: 24");
        assertThat(java.nio.file.Files.readString(out.resolve(RunFiles.MANIFEST))).contains("training engine java (auto)");

        CliRunner listed = CliRunner.execute("extensions", "--plugins", plugins.toString());
        assertThat(listed.out()).contains("model families (model.family; settings under model)", "one-hidden",
                "family.jar", "mlp", "transformer", "bert");
    }

    @Test
    void itsFieldsAreCheckedAndLocatedAndItsWorkloadsKept() {
        CliRunner zero = CliRunner.execute(args("validate", "--set", "model.hidden=0").toArray(String[]::new));
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--set model.hidden=0", "model.hidden: expected an integer from 2 to 1024, got 0",
                "model family 'one-hidden' from", "family.jar");
        assertThat(zero.hasStackTrace()).isFalse();

        CliRunner mlpField = CliRunner.execute(args("validate", "--set", "model.widths=[8, 8]").toArray(String[]::new));
        assertThat(mlpField.exitCode()).isEqualTo(2);
        assertThat(mlpField.err()).contains("model.widths: unknown field in 'model'; expected one of: inputs, hidden, classes");

        CliRunner texts = CliRunner.execute(args("validate", "--set", "data.workload=text-classification",
                "--set", "data.train_file=x.tsv", "--set", "data.test_file=y.tsv").toArray(String[]::new));
        assertThat(texts.exitCode()).isEqualTo(2);
        assertThat(texts.err()).contains("model.family: data.workload: text-classification needs a family that learns it"
                + " (transformer, bert), got one-hidden");

        CliRunner unknown = CliRunner.execute("validate", TestScenarios.quickstart().toString(),
                "--set", "model.family=one-hidden");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("model.family: unknown model family 'one-hidden'; expected one of mlp, transformer,"
                + " bert (plugins add more: --plugins DIR");

        CliRunner clustered = CliRunner.execute(args("run", "--cluster", "127.0.0.1:47124", "--out",
                temp.resolve("never").toString()).toArray(String[]::new));
        assertThat(clustered.exitCode()).isEqualTo(2);
        assertThat(clustered.err()).contains("--cluster: the scenario names", "model family 'one-hidden' (family.jar)");
        assertThat(temp.resolve("never")).doesNotExist();
    }

    @Test
    void aFamilyThatThrowsFailsTheRunByName() throws Exception {
        Path out = temp.resolve("broken");
        CliRunner broken = CliRunner.execute(args("run", "-q", "--set", "model.family=broken", "--out", out.toString())
                .toArray(String[]::new));
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains("model family 'broken' (family.jar) failed to build what the run learns",
                "java.lang.IllegalStateException: the teacher is missing");
        // The plugin's exception is named for its author, but no stack trace is printed.
        assertThat(broken.err()).doesNotContain("\tat ", "internal error");
    }
}
