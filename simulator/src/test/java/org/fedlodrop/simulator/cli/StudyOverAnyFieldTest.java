package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.reports.study.StudyTable;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep values that are lists, mappings or file paths: results.csv, curves.csv, table and report stay whole. */
class StudyOverAnyFieldTest {
    @TempDir
    Path temp;

    private static final String ONE_CELL = "[{x_m: 0, y_m: 0}]";
    private static final String THREE_CELLS = "[{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}, {x_m: 200, y_m: 350}]";

    @Test
    void aStudyOverCellLayoutsTabulatesEachLayoutAsOneQuotedValueWithAShortLabel() throws Exception {
        Path study = temp.resolve("cells.yaml");
        Files.writeString(study, "name: cells\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n"
                + "grid:\n  topology.cells: [" + ONE_CELL + ", " + THREE_CELLS + "]\n  rounds: [2]\n"
                + "seeds: [1, 2]\nmetrics: [participation, total_energy_j]\ncurves: [devices_aggregated]\n");
        Path out = temp.resolve("out");
        CliRunner result = CliRunner.execute("study", study.toString(), "--out", out.toString(), "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();

        StudyTable results = StudyTables.read(out.resolve(StudyRunner.RESULTS));
        assertThat(results.axes()).containsExactly("topology.cells", "rounds");
        assertThat(results.rows()).hasSize(2);
        assertThat(results.rows().get(0).values().get(0)).isEqualTo("[{\"x_m\":0,\"y_m\":0}]");
        assertThat(results.rows().get(1).values().get(0))
                .isEqualTo("[{\"x_m\":0,\"y_m\":0},{\"x_m\":400,\"y_m\":0},{\"x_m\":200,\"y_m\":350}]");
        assertThat(results.rows()).allSatisfy(row -> assertThat(row.runs()).isEqualTo(2));
        // Three cells have three bands: more devices served than in one, in every seed.
        assertThat(results.rows().get(1).intervals().get(0).mean()).isGreaterThan(results.rows().get(0).intervals().get(0).mean());
        // The raw file quotes the JSON, so every line has the header's fields.
        List<String> lines = Files.readAllLines(out.resolve(StudyRunner.RESULTS));
        assertThat(lines.get(1)).startsWith("0,\"[{\"\"x_m\"\":0,\"\"y_m\"\":0}]\",2,2,");

        StudyTable curves = StudyTables.read(out.resolve(StudyRunner.CURVES));
        assertThat(curves.perRound()).isTrue();
        assertThat(curves.rows()).hasSize(4);
        assertThat(curves.rows().get(3).values()).isEqualTo(results.rows().get(1).values());
        assertThat(curves.rows().get(3).round()).isEqualTo(1);

        // Short values keep themselves as labels; the long one gets cells#1 and a legend line.
        assertThat(results.labels("topology.cells").values()).containsExactly("[{\"x_m\":0,\"y_m\":0}]", "cells#1");
        CliRunner table = CliRunner.execute("table", out.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("| topology.cells | rounds | runs | participation | total_energy_j |",
                "| cells#1 | 2 | 2 |", "- `cells#1 = [{\"x_m\":0,\"y_m\":0},{\"x_m\":400");
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("id=\"participation\"", "cells#1 = [{&quot;x_m&quot;:0", "id=\"round-devices_aggregated\"");
    }

    @Test
    void aStudyOverTraceFilesRunsEachFile() throws Exception {
        Path strong = temp.resolve("strong, near.csv");
        Path weak = temp.resolve("weak.csv");
        StringBuilder high = new StringBuilder("round,device,gain_db\n");
        StringBuilder low = new StringBuilder("round,device,gain_db\n");
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 4; k++) {
                high.append(r).append(',').append(k).append(",-80\n");
                low.append(r).append(',').append(k).append(",-150\n");
            }
        }
        Files.writeString(strong, high);
        Files.writeString(weak, low);
        Path study = temp.resolve("traces.yaml");
        Files.writeString(study, "name: traces\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n"
                + "grid:\n  channel.trace_file: ['" + strong.toAbsolutePath() + "', '" + weak.toAbsolutePath() + "']\n"
                + "  channel.fading: [trace]\n  devices.count: [4]\n  rounds: [2]\n"
                + "seeds: [1]\nmetrics: [aggregated, participation]\n");
        Path out = temp.resolve("traces-out");
        CliRunner result = CliRunner.execute("study", study.toString(), "--out", out.toString(), "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();
        StudyTable results = StudyTables.read(out.resolve(StudyRunner.RESULTS));
        assertThat(results.rows().get(0).values().get(0)).isEqualTo(strong.toAbsolutePath().toString());
        assertThat(results.rows().get(0).intervals().get(0).mean()).isEqualTo(8);
        assertThat(results.rows().get(1).intervals().get(0).mean()).isZero();
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"aggregated\"");
    }
}
