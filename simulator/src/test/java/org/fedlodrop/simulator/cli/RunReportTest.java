package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run leaves a self-contained report.html and its plots as SVG files. */
class RunReportTest {
    @TempDir
    Path temp;

    private static String check(Path run) throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "id=\"latency\"", "id=\"energy\"",
                "id=\"gantt\"", "id=\"gamma\"", "id=\"bandwidth\"", "id=\"power\"", "id=\"frequency\"", "id=\"outcomes\"");
        // Self-contained: nothing to fetch when the page is viewed.
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "<link");
        try (Stream<Path> plots = Files.list(run.resolve("plots"))) {
            for (Path plot : plots.toList()) {
                assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(plot.toFile())
                        .getDocumentElement().getNodeName()).isEqualTo("svg");
            }
        }
        return html;
    }

    @Test
    void costOnlyAndLearningRunsBothGetReports() throws Exception {
        Path costOnly = temp.resolve("cost");
        assertThat(CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", costOnly.toString(), "-q",
                "--set", "rounds=3").exitCode()).isZero();
        String html = check(costOnly);
        assertThat(html).doesNotContain("id=\"learning\"", "id=\"aggregation\"");
        assertThat(html).contains("Round 0: download, compute and upload per device", "device 9");

        Path learning = temp.resolve("learning");
        assertThat(CliRunner.execute("run", TestScenarios.quickstart().toString(), "--out", learning.toString(), "-q",
                "--set", "rounds=2", "--set", "data.workload=synthetic", "--set", "model.widths=[16, 32, 32]").exitCode())
                .isZero();
        assertThat(check(learning)).contains("id=\"learning\"", "id=\"accuracy\"", "Loss and generalisation gap",
                "id=\"aggregation\"", "Aggregation against the mean of the devices");
        assertThat(learning.resolve("plots").resolve("learning.svg")).exists();

        CliRunner again = CliRunner.execute("report", costOnly.toString(), "--gantt-round", "2");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(costOnly.resolve("report.html"))).contains("Round 2: download, compute and upload");
        CliRunner beyond = CliRunner.execute("report", costOnly.toString(), "--gantt-round", "3");
        assertThat(beyond.exitCode()).isEqualTo(2);
        assertThat(beyond.err()).contains("--gantt-round 3: the run has rounds 0 to 2");
        assertThat(CliRunner.execute("report", temp.resolve("nothing").toString()).exitCode()).isEqualTo(2);
    }
}
