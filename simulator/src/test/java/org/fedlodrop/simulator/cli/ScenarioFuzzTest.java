package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates the quickstart, the heterogeneous fleet and the synthetic scenarios 1,200 times (deleted keys, swapped types, huge and negative
 * numbers, truncations, garbage bytes, broken indentation) and checks that each mutant ends with
 * exit code 0, or with exit code 2 and only located messages: never a stack trace, never a hang.
 * Mutants that validate are also run, shrunk to a few devices and rounds.
 */
class ScenarioFuzzTest {
    private static final int MUTANTS = 1200;
    private static final Pattern LOCATED = Pattern.compile(
            "^(\\S+\\.yaml(:\\d+(:\\d+)?)?|--set \\S+): .+|^\\d+ problems? in the scenario; nothing was run\\.$");
    private static final String[] REPLACEMENTS = {"abc", "true", "[1, 2]", "{a: 1}", "~", "1e308", "-1e308",
            "99999999999999999999", "-5", "0", ".nan", ".inf", "-.inf", "''", "\"\"", "0.5", "1", "3gpp-uma",
            "rayleigh", "transformer", "bert", "mlp", "-0.0", "2147483648", "\"12\"", "0x1F", "1_000", "!!binary aGVsbG8=", "&a 3", "*a", "|\n  x"};

    @TempDir
    Path temp;

    @Test
    void everyMutantEndsCleanly() throws Exception {
        // Mutants come in turn from the quickstart, the heterogeneous fleet (device classes, availability, a
        // workload) and the synthetic workload, whose model section holds the mlp family's own fields.
        List<List<String>> bases = List.of(Files.readAllLines(TestScenarios.quickstart()),
                Files.readAllLines(TestScenarios.file("fleet.yaml")), Files.readAllLines(TestScenarios.file("synthetic.yaml")));
        SplittableRandom random = new SplittableRandom(20261124);
        int accepted = 0;
        int rejected = 0;
        int ran = 0;
        int familyProblems = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(bases.get(i % bases.size()), random);
            Path file = temp.resolve("mutant-" + i + ".yaml");
            Files.write(file, mutant);
            CliRunner result = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> CliRunner.execute("validate", file.toString()));
            String context = "mutant " + i + ":\n" + new String(mutant, StandardCharsets.UTF_8) + "\n---\n" + result.err();
            assertThat(result.exitCode()).as(context).isIn(0, 2);
            assertThat(result.hasStackTrace()).as(context).isFalse();
            if (result.exitCode() == 2) {
                rejected++;
                familyProblems += result.err().contains("model family '") ? 1 : 0;
                assertThat(result.err().lines().toList()).as(context).isNotEmpty()
                        .allSatisfy(line -> assertThat(line).matches(LOCATED));
            } else {
                accepted++;
                if (ran < 40) {
                    ran++;
                    Path out = temp.resolve("run-" + i);
                    CliRunner run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.execute("run",
                            file.toString(), "--out", out.toString(), "-q", "--set", "rounds=2", "--set", "devices.count=3"));
                    assertThat(run.exitCode()).as(context + run.err()).isIn(0, 2);
                    assertThat(run.hasStackTrace()).as(context + run.err()).isFalse();
                }
            }
        }
        // The mutations reach both sides: some mutants stay valid, most are rejected.
        assertThat(accepted).isGreaterThan(50);
        assertThat(rejected).isGreaterThan(MUTANTS / 2);
        assertThat(ran).isEqualTo(40);
        // Some reach a model family's own fields or its type, checked by the family.
        assertThat(familyProblems).isPositive();
    }

    private static byte[] mutate(List<String> original, SplittableRandom random) {
        List<String> lines = new ArrayList<>(original);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(lines.size());
            switch (random.nextInt(8)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.set(at, replaceValue(lines.get(at), REPLACEMENTS[random.nextInt(REPLACEMENTS.length)]));
                case 2 -> lines.set(at, replaceValue(lines.get(at), Double.toString((random.nextDouble() - 0.5)
                        * Math.pow(10, random.nextInt(-30, 320)))));
                case 3 -> lines.add(at, lines.get(random.nextInt(lines.size())));
                case 4 -> lines.set(at, " ".repeat(random.nextInt(5)) + lines.get(at).strip());
                case 5 -> {
                    String line = lines.get(at);
                    lines.set(at, line.isEmpty() ? "x" : line.substring(0, random.nextInt(line.length())));
                }
                case 6 -> lines.set(at, lines.get(at).replace(':', random.nextBoolean() ? ' ' : '='));
                default -> {
                    int other = random.nextInt(lines.size());
                    String swap = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, swap);
                }
            }
        }
        byte[] text = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        int finish = random.nextInt(10);
        if (finish == 0) {
            // Truncated file.
            return java.util.Arrays.copyOf(text, random.nextInt(text.length + 1));
        }
        if (finish == 1) {
            // Garbage bytes at a random place.
            byte[] garbage = new byte[1 + random.nextInt(16)];
            random.nextBytes(garbage);
            int at = random.nextInt(text.length + 1);
            byte[] spliced = new byte[text.length + garbage.length];
            System.arraycopy(text, 0, spliced, 0, at);
            System.arraycopy(garbage, 0, spliced, at, garbage.length);
            System.arraycopy(text, at, spliced, at + garbage.length, text.length - at);
            return spliced;
        }
        return text;
    }

    private static String replaceValue(String line, String value) {
        int colon = line.indexOf(':');
        if (colon < 0 || line.stripLeading().startsWith("#")) {
            return line;
        }
        int comment = line.indexOf('#', colon);
        return line.substring(0, colon + 1) + " " + value + (comment > 0 ? "  " + line.substring(comment) : "");
    }
}
