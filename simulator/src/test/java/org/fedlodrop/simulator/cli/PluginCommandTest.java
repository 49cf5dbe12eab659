package org.fedlodrop.simulator.cli;

import org.fedlodrop.reports.records.Tensor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.extension.PluginJars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/plugin, built against the extension API alone, on the plugin path of real runs: its planner,
 * aggregation rule and path-loss model each take effect, as the run's files show, and its mistakes are the
 * user's located errors (issue 28).
 */
class PluginCommandTest {
    @TempDir
    static Path temp;
    static Path plugins;

    @BeforeAll
    static void buildTheExamplePlugin() throws Exception {
        plugins = temp.resolve("plugins");
        PluginJars.build(PluginJars.examplePlugin(), plugins.resolve("example.jar"));
    }

    /** A one-cell learning run with the plugin's three extensions, its path loss seen without shadowing or fading. */
    private static List<String> pluginRun(String... more) {
        List<String> args = new ArrayList<>(List.of("run", TestScenarios.quickstart().toString(), "-q", "--plugins",
                plugins.toString(), "--set", "devices.count=4", "--set", "data.workload=synthetic",
                "--set", "channel.shadowing_db=0", "--set", "channel.fading=none",
                "--set", "channel.path_loss=two-slope", "--set", "channel.path_loss_settings.breakpoint_m=80",
                "--set", "channel.path_loss_settings.far_exponent=3.8",
                "--set", "planner.solver=data-proportional", "--set", "planner.settings.gamma=0.4",
                "--set", "dropout.aggregation=trimmed-mean"));
        args.addAll(Arrays.asList(more));
        return args;
    }

    private static CliRunner run(List<String> args, Path out) {
        List<String> all = new ArrayList<>(args);
        all.add("--out");
        all.add(out.toString());
        return CliRunner.execute(all.toArray(String[]::new));
    }

    @Test
    void thePluginsPlannerSharesTheBandByDataAndItsPathLossSetsTheGains() throws Exception {
        Path out = temp.resolve("skewed");
        CliRunner result = run(pluginRun("--set", "rounds=2", "--set", "data.partition=quantity-skew"), out);
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<Map<String, String>> rows = csv(out.resolve(RunFiles.DEVICES));
        assertThat(rows).hasSize(8);
        double band = 10e6;
        for (int round = 0; round < 2; round++) {
            int r = round;
            double data = rows.stream().filter(x -> Integer.parseInt(x.get("round")) == r)
                    .mapToDouble(x -> Double.parseDouble(x.get("samples"))).sum();
            for (Map<String, String> row : rows.stream().filter(x -> Integer.parseInt(x.get("round")) == r).toList()) {
                assertThat(Double.parseDouble(row.get("gamma"))).isEqualTo(0.4);
                assertThat(Double.parseDouble(row.get("bandwidth_hz")))
                        .isCloseTo(band * Double.parseDouble(row.get("samples")) / data, org.assertj.core.data.Offset.offset(1e-6));
                // Two slopes, PL_0 40 dB at 1 m, exponent 2 to 80 m and 3.8 beyond; the gain is its loss alone.
                double d = Double.parseDouble(row.get("distance_m"));
                double loss = d <= 80 ? 40 + 20 * Math.log10(d) : 40 + 20 * Math.log10(80) + 38 * Math.log10(d / 80);
                assertThat(Double.parseDouble(row.get("gain_db"))).isCloseTo(-loss, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        // Unequal data, so unequal shares: an equal split would not pass the checks above.
        assertThat(rows.stream().map(x -> x.get("samples")).distinct().count()).isGreaterThan(1);
        JsonNode plan = RunFormats.jsonDocument().readTree(Files.readAllLines(out.resolve(RunFiles.EVENTS)).stream()
                .filter(l -> l.contains("\"plan\"")).findFirst().orElseThrow());
        assertThat(plan.toString()).contains("\"solver\":\"data-proportional\"");
    }

    @Test
    void thePluginsFadingDrawsEachBlockFromItsMeasuredGains() throws Exception {
        Path out = temp.resolve("empirical");
        List<String> args = pluginRun("--set", "rounds=3", "--set", "devices.count=6", "--set", "channel.fading=empirical",
                "--set", "channel.fading_settings.powers=[0.5, 1.5]");
        CliRunner result = run(args, out);
        assertThat(result.exitCode()).as(result.err()).isZero();
        java.util.Set<Long> seen = new java.util.TreeSet<>();
        for (Map<String, String> row : csv(out.resolve(RunFiles.DEVICES))) {
            double d = Double.parseDouble(row.get("distance_m"));
            double loss = d <= 80 ? 40 + 20 * Math.log10(d) : 40 + 20 * Math.log10(80) + 38 * Math.log10(d / 80);
            double fadingDb = Double.parseDouble(row.get("gain_db")) + loss;
            // Measured gains 0.5 and 1.5 scaled to mean 1: |h|² is one of them, in dB.
            assertThat(Math.min(Math.abs(fadingDb - 10 * Math.log10(0.5)), Math.abs(fadingDb - 10 * Math.log10(1.5))))
                    .as("fading of a block in dB: %s", fadingDb).isLessThan(1e-9);
            seen.add(Math.round(fadingDb * 1000));
        }
        assertThat(seen).as("both measured gains drawn").hasSize(2);

        // A plugin's fading gives no distribution: imperfect CSI and outage planning are refused where they are set.
        CliRunner noisy = run(pluginRun("--set", "channel.fading=empirical", "--set", "csi.model=noisy",
                "--set", "planner.outage=0.1"), temp.resolve("never-noisy"));
        assertThat(noisy.exitCode()).isEqualTo(2);
        assertThat(noisy.err()).contains("csi.model: expected perfect with fading model 'empirical' from example.jar",
                "planner.outage: expected 0 with fading model 'empirical' from example.jar");
        assertThat(temp.resolve("never-noisy")).doesNotExist();
    }

    @Test
    void extensionsListsTheBuiltInsAndThePluginsWithTheirDefaults() {
        CliRunner result = CliRunner.execute("extensions", "--plugins", plugins.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("planners (planner.solver; settings under planner.settings)", "  psca ",
                "  data-proportional  a fixed γ for every device, bandwidth in proportion to the devices' data [example.jar]",
                "gamma: 0.3", "  trimmed-mean ", "trim: 1", "  3gpp-uma ", "  two-slope ", "breakpoint_m: 100.0",
                "fading models (channel.fading; settings under channel.fading_settings)", "  rayleigh ", "  empirical ");
        CliRunner builtIn = CliRunner.execute("extensions");
        assertThat(builtIn.out()).contains("  exact ").doesNotContain("two-slope");
    }

    @Test
    void thePluginsTrimmedMeanAggregatesTheRound() throws Exception {
        // Equal data: with nothing trimmed, the mean over the devices that kept an entry is the built-in masked mean.
        CliRunner untrimmed = run(pluginRun("--set", "rounds=1", "--set", "dropout.aggregation_settings.trim=0"),
                temp.resolve("trim-0"));
        assertThat(untrimmed.exitCode()).as(untrimmed.err()).isZero();
        List<String> builtIn = pluginRun("--set", "rounds=1");
        builtIn.set(builtIn.indexOf("dropout.aggregation=trimmed-mean"), "dropout.aggregation=masked-mean");
        CliRunner masked = run(builtIn, temp.resolve("masked-mean"));
        assertThat(masked.exitCode()).as(masked.err()).isZero();
        CliRunner trimmed = run(pluginRun("--set", "rounds=1", "--set", "dropout.aggregation_settings.trim=1"),
                temp.resolve("trim-1"));
        assertThat(trimmed.exitCode()).as(trimmed.err()).isZero();

        Map<String, Tensor> plugin0 = SafeTensors.read(temp.resolve("trim-0").resolve(RunFiles.MODEL)).tensors();
        Map<String, Tensor> reference = SafeTensors.read(temp.resolve("masked-mean").resolve(RunFiles.MODEL)).tensors();
        Map<String, Tensor> plugin1 = SafeTensors.read(temp.resolve("trim-1").resolve(RunFiles.MODEL)).tensors();
        assertThat(plugin0.keySet()).isEqualTo(reference.keySet()).anyMatch(name -> name.endsWith("lora_A"));
        double largestGap = 0;
        double trimmedGap = 0;
        for (String name : reference.keySet()) {
            float[] expected = reference.get(name).data();
            float[] given = plugin0.get(name).data();
            float[] median = plugin1.get(name).data();
            for (int i = 0; i < expected.length; i++) {
                largestGap = Math.max(largestGap, Math.abs(given[i] - expected[i]) / Math.max(1e-3, Math.abs(expected[i])));
                trimmedGap = Math.max(trimmedGap, Math.abs(median[i] - expected[i]));
            }
        }
        assertThat(largestGap).as("trim 0 against masked-mean, largest relative gap").isLessThan(1e-5);
        // Trimming 1 of 4 from each end is no mean: a built-in standing in would leave this at 0.
        assertThat(trimmedGap).isGreaterThan(1e-4);
    }

    @Test
    void aPluginsBadSettingsAndUnknownTypesAreLocatedErrors() throws Exception {
        CliRunner misspelt = run(pluginRun("--set", "planner.settings.gama=0.3"), temp.resolve("never-1"));
        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).contains("planner.settings.gama: unknown field in 'planner.settings'; did you mean 'gamma'?",
                "planner 'data-proportional' from example.jar");
        CliRunner outOfRange = run(pluginRun("--set", "planner.settings.gamma=1.5",
                "--set", "channel.path_loss_settings.near_exponent=0"), temp.resolve("never-2"));
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.err()).contains("planner.settings.gamma: expected a dropout rate in [0, 1), got 1.5",
                "channel.path_loss_settings.near_exponent: expected an exponent in [1, 10], got 0.0 (path-loss model"
                        + " 'two-slope' from example.jar)", "2 problems in the scenario");
        CliRunner wrongType = run(pluginRun("--set", "dropout.aggregation_settings.trim=lots"), temp.resolve("never-3"));
        assertThat(wrongType.exitCode()).isEqualTo(2);
        assertThat(wrongType.err()).contains("dropout.aggregation_settings.trim: expected an integer");
        CliRunner unknown = run(pluginRun("--set", "planner.solver=proportional"), temp.resolve("never-4"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("planner.solver: unknown planner 'proportional'; expected one of bnb, psca,"
                + " no-dropout, fixed, uniform, random, data-proportional");
        List<String> noPlugins = pluginRun();
        noPlugins.set(noPlugins.indexOf("--plugins") + 1, temp.resolve("no-such-directory").toString());
        CliRunner missing = run(noPlugins, temp.resolve("never-5"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no-such-directory: no such directory");
        Path empty = temp.resolve("no-jars");
        Files.createDirectories(empty);
        noPlugins.set(noPlugins.indexOf("--plugins") + 1, empty.toString());
        CliRunner noJars = run(noPlugins, temp.resolve("never-6"));
        assertThat(noJars.exitCode()).isEqualTo(2);
        assertThat(noJars.err()).contains("no-jars: no .jar files in it");
        // Without the plugin directory the scenario's plugin types are unknown, and the message says where they come from.
        List<String> withoutPlugins = pluginRun();
        int at = withoutPlugins.indexOf("--plugins");
        withoutPlugins.remove(at + 1);
        withoutPlugins.remove(at);
        CliRunner forgotten = run(withoutPlugins, temp.resolve("never-7"));
        assertThat(forgotten.exitCode()).isEqualTo(2);
        assertThat(forgotten.err()).contains("planner.solver: unknown planner 'data-proportional'",
                "(plugins add more: --plugins DIR or FEDLODROP_PLUGINS)", "3 problems in the scenario");
        for (CliRunner result : List.of(misspelt, outOfRange, wrongType, unknown, missing, noJars, forgotten)) {
            assertThat(result.hasStackTrace()).as(result.err()).isFalse();
        }
        for (int i = 1; i <= 7; i++) {
            assertThat(temp.resolve("never-" + i)).doesNotExist();
        }
    }

    @Test
    void aPluginThatThrowsFailsTheRunByNameAndTheFinishedRoundsStay() throws Exception {
        Path dir = temp.resolve("faulty-plugins");
        PluginJars.build(Map.of("faulty/Faulty.java", """
                package faulty;
                import org.fedlodrop.api.planning.*;
                public final class Faulty implements PlannerExtension<Faulty.Settings> {
                    public record Settings(int failAt) { }
                    public String type() { return "faulty"; }
                    public String summary() { return "fails on purpose"; }
                    public Class<Settings> settingsType() { return Settings.class; }
                    public Settings defaultSettings() { return new Settings(1); }
                    public CellPlanner build(Settings s, PlannerContext context) {
                        return round -> {
                            if (round.round() == s.failAt()) {
                                throw new IllegalStateException("no plan for round " + round.round());
                            }
                            double[] gammas = new double[round.devices().size()];
                            return round.allocate(gammas);
                        };
                    }
                }
                """), Map.of("META-INF/services/org.fedlodrop.api.planning.PlannerExtension", "faulty.Faulty\n".getBytes()),
                dir.resolve("faulty.jar"));
        Path out = temp.resolve("faulty");
        CliRunner result = CliRunner.execute("run", TestScenarios.quickstart().toString(), "-q", "--plugins", dir.toString(),
                "--set", "rounds=4", "--set", "planner.solver=faulty", "--set", "planner.settings.fail_at=2", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("planner 'faulty' (faulty.jar) failed in round 2, cell 0:",
                "java.lang.IllegalStateException: no plan for round 2", "What was written so far is in " + out);
        // The plugin's exception is named for its author, but no stack trace is printed.
        assertThat(result.err()).doesNotContain("\tat ", "internal error");
        JsonNode manifest = RunFormats.jsonDocument().readTree(out.resolve(RunFiles.MANIFEST).toFile());
        assertThat(manifest.get("status").asText()).isEqualTo("failed");
        Path rounds = Files.exists(out.resolve(RunFiles.ROUNDS)) ? out.resolve(RunFiles.ROUNDS)
                : out.resolve(RunFiles.ROUNDS + ".part");
        // Round 0 finished a virtual round before the planner threw: the clock had passed its rows to the recorder,
        // which writes what it was sent before the run fails (round 1 ended at the very instant of the failure).
        List<String> lines = Files.readAllLines(rounds);
        assertThat(lines).hasSizeBetween(2, 3);
        assertThat(lines.get(1)).startsWith("0,");

        // A plugin that cannot even be constructed is named with its jar before anything runs.
        Path broken = temp.resolve("broken-plugins");
        PluginJars.build(Map.of("broken/Broken.java", """
                package broken;
                import org.fedlodrop.api.planning.*;
                public final class Broken implements PlannerExtension<Broken.Settings> {
                    public record Settings() { }
                    public Broken() { throw new IllegalStateException("licence server unreachable"); }
                    public String type() { return "broken"; }
                    public String summary() { return ""; }
                    public Class<Settings> settingsType() { return Settings.class; }
                    public Settings defaultSettings() { return new Settings(); }
                    public CellPlanner build(Settings s, PlannerContext context) { return null; }
                }
                """), Map.of("META-INF/services/org.fedlodrop.api.planning.PlannerExtension", "broken.Broken\n".getBytes()),
                broken.resolve("broken.jar"));
        CliRunner unloadable = CliRunner.execute("validate", TestScenarios.quickstart().toString(), "--plugins", broken.toString());
        assertThat(unloadable.exitCode()).isEqualTo(2);
        assertThat(unloadable.err()).contains("broken.jar", "broken.Broken", "licence server unreachable");
        assertThat(unloadable.err()).doesNotContain("\tat ", "internal error");
    }

    @Test
    void aPluginWhoseBuildFailsOrBuildsNothingIsNamed() throws Exception {
        Path dir = temp.resolve("unbuildable-plugins");
        PluginJars.build(Map.of("unbuildable/Nothing.java", """
                package unbuildable;
                import org.fedlodrop.api.channel.*;
                public final class Nothing implements PathLossExtension<Nothing.Settings> {
                    public record Settings(boolean fail) { }
                    public String type() { return "nothing"; }
                    public String summary() { return "builds nothing"; }
                    public Class<Settings> settingsType() { return Settings.class; }
                    public Settings defaultSettings() { return new Settings(false); }
                    public PathLoss build(Settings s, RadioSite site) {
                        if (s.fail()) {
                            throw new UnsupportedOperationException("no model at " + site.carrierHz() + " Hz");
                        }
                        return null;
                    }
                }
                """), Map.of("META-INF/services/org.fedlodrop.api.channel.PathLossExtension", "unbuildable.Nothing\n".getBytes()),
                dir.resolve("nothing.jar"));
        CliRunner nothing = CliRunner.execute("run", TestScenarios.quickstart().toString(), "-q", "--plugins", dir.toString(),
                "--set", "rounds=1", "--set", "channel.path_loss=nothing", "--out", temp.resolve("nothing").toString());
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("path-loss model 'nothing' (nothing.jar) built no model (build returned null)");
        CliRunner failing = CliRunner.execute("run", TestScenarios.quickstart().toString(), "-q", "--plugins", dir.toString(),
                "--set", "rounds=1", "--set", "channel.path_loss=nothing", "--set", "channel.path_loss_settings.fail=true",
                "--out", temp.resolve("failing").toString());
        assertThat(failing.exitCode()).isEqualTo(2);
        assertThat(failing.err()).contains("path-loss model 'nothing' (nothing.jar) failed to build:",
                "no model at 3.5E9 Hz").doesNotContain("\tat ", "internal error");
        // The run directory was made and says the run failed, with the plugin's message.
        assertThat(Files.readString(temp.resolve("failing").resolve(RunFiles.MANIFEST))).contains("\"status\" : \"failed\"",
                "failed to build");
    }

    @Test
    void studiesRunPluginsAndClusterRunsRefuseThem() throws Exception {
        Path study = temp.resolve("plugin-study.yaml");
        Files.writeString(study, "name: plugin-study\nbase: " + Path.of("..", "examples", "plugin", "scenario.yaml")
                .toAbsolutePath().normalize().toString().replace('\\', '/').replace("/simulator/..", "")
                + "\nset:\n  rounds: 2\ngrid:\n  dropout.aggregation_settings.trim: [0, 1]\nseeds: [1]\n"
                + "metrics: [final_test_accuracy]\n");
        Path out = temp.resolve("study-out");
        CliRunner studied = CliRunner.execute("study", study.toString(), "--plugins", plugins.toString(), "--workers", "1",
                "-q", "--out", out.toString());
        assertThat(studied.exitCode()).as(studied.err()).isZero();
        try (var runs = Files.list(out)) {
            assertThat(runs.filter(p -> p.getFileName().toString().startsWith("p0")).count()).isEqualTo(2);
        }
        CliRunner clustered = CliRunner.execute("run", PluginJars.examplePlugin().resolve("scenario.yaml").toString(),
                "--plugins", plugins.toString(), "--cluster", "127.0.0.1:47123", "--out", temp.resolve("never-cluster").toString());
        assertThat(clustered.exitCode()).isEqualTo(2);
        assertThat(clustered.err()).contains("--cluster: the scenario names", "planner 'data-proportional' (example.jar)",
                "plugins run in one process");
        CliRunner clusterStudy = CliRunner.execute("study", study.toString(), "--plugins", plugins.toString(),
                "--cluster", "127.0.0.1:47123", "--out", temp.resolve("never-cluster-study").toString());
        assertThat(clusterStudy.exitCode()).isEqualTo(2);
        assertThat(clusterStudy.err()).contains("--cluster: the study names");
        assertThat(temp.resolve("never-cluster")).doesNotExist();
    }

    private static List<Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }
}
