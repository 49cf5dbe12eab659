package org.fedlodrop.simulator.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/paired-difference.py, which REPRODUCTION.md quotes for every paired claim, on a study directory written
 * here: its t-interval and its exact sign-flip p against values computed by hand; and against the Java side's
 * paired differences on a committed study.
 */
class PairedDifferenceScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "paired-difference.py");

    @TempDir
    Path study;

    /**
     * Differences of 2, −1 and 1 test samples in 100: the 8 sign patterns sum to ±4, ±2, ±2, 0 and 0, so 6 of
     * 8 are as far from zero as the observed 2 (p = 0.75); mean 0.0067, sd 0.01528, t(2) = 4.303.
     */
    @Test
    void mixedSignsGiveTheIntervalAndTheShareOfSignPatterns() throws Exception {
        writeStudy(new double[] {0.92, 0.90, 0.91}, new double[] {0.90, 0.91, 0.90});
        Result result = run("final_test_accuracy", "0", "1");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("= +0.0067 ± 0.0379 (95 %, 3 seeds;")
                .contains("point 0 ahead in 2 seeds, level in 0, behind in 1;")
                .contains("two-sided p = 0.7500");
    }

    /** Level seeds leave the test: five seeds ahead and three level give p = 2 / 2^5, whatever the t-interval says. */
    @Test
    void levelSeedsCountAsNeitherAndLeaveTheSignTest() throws Exception {
        double[] a = {0.957, 0.963, 0.960, 0.970, 0.960, 0.953, 0.960, 0.960};
        double[] b = {0.947, 0.963, 0.960, 0.957, 0.957, 0.950, 0.960, 0.957};
        writeStudy(a, b);
        Result result = run("final_test_accuracy", "0", "1");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("point 0 ahead in 5 seeds, level in 3, behind in 0;")
                .contains("two-sided p = 0.0625");
    }

    /**
     * The script and {@link PairedDifferences} (which compare and table --paired print), two implementations, on
     * the committed ten-round mail study: the same mean, interval, count and sign-flip p for each pairing.
     */
    @Test
    void agreesWithThePairedDifferencesOfTheJavaSideOnACommittedStudy() throws Exception {
        Path committed = Path.of("..", "docs", "reproduction", "spam-512-ten-rounds");
        List<PairedDifferences.Metric> metrics = List.of(
                new PairedDifferences.Metric("final_test_accuracy", PairedDifferences.Better.HIGHER),
                new PairedDifferences.Metric("final_test_loss", PairedDifferences.Better.HIGHER));
        List<PairedDifferences.Row> rows = PairedDifferences.of(new StudyJournal(committed).read().values(), 0,
                List.of(1, 2), metrics);
        for (PairedDifferences.Row row : rows) {
            for (PairedDifferences.Metric metric : metrics) {
                PairedDifferences.Cell cell = row.cells().get(metric.name());
                Result result = runOn(committed, metric.name(), "0", Integer.toString(row.point()));
                assertThat(result.exitCode()).as(result.output()).isZero();
                // With HIGHER, "ahead" counts the positive differences, as the script's "ahead" does.
                assertThat(result.output()).as("point %d, %s", row.point(), metric.name())
                        .contains(String.format(Locale.ROOT, "= %+.4f ± %.4f (95 %%, %d seeds;",
                                cell.difference().mean(), cell.difference().ci95(), cell.seeds()))
                        .contains("point 0 ahead in " + cell.ahead() + " seeds,");
                Matcher p = Pattern.compile("two-sided p = ([0-9.]+)")
                        .matcher(result.output());
                assertThat(p.find()).isTrue();
                assertThat(Double.parseDouble(p.group(1))).isCloseTo(cell.signFlipP(),
                        within(5e-5));
            }
        }
    }

    @Test
    void aMetricTheJournalLacksIsNamedAndExitsTwo() throws Exception {
        writeStudy(new double[] {0.9, 0.8}, new double[] {0.8, 0.7});
        Result result = run("final_test_loss", "0", "1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("journal.jsonl: no metric 'final_test_loss'")
                .doesNotContain("Traceback");
    }

    private void writeStudy(double[] a, double[] b) throws IOException {
        Files.writeString(study.resolve("results.csv"), "point,training.arm,runs\n0,federated," + a.length
                + "\n1,bag-of-words," + b.length + "\n");
        StringBuilder journal = new StringBuilder();
        for (int seed = 1; seed <= a.length; seed++) {
            journal.append(entry(0, seed, a[seed - 1])).append(entry(1, seed, b[seed - 1]));
        }
        Files.writeString(study.resolve("journal.jsonl"), journal);
    }

    private static String entry(int point, int seed, double accuracy) {
        return "{\"point\":" + point + ",\"seed\":" + seed + ",\"metrics\":{\"final_test_accuracy\":" + accuracy + "}}\n";
    }

    private Result run(String... arguments) throws Exception {
        return runOn(study, arguments);
    }

    private static Result runOn(Path directory, String... arguments) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), directory.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) { }
}
