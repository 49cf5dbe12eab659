package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fedlodrop.reports.study.StudyTable;
import org.fedlodrop.reports.study.StudyTables;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare: one scenario under several planners with the same seeds, one table, one report. */
class CompareCommandTest {
    @TempDir
    Path temp;

    @Test
    void comparesPlannersOverTheSameSeedsInOneTable() throws Exception {
        Path out = temp.resolve("cmp");
        CliRunner result = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--planners", "psca,uniform",
                "--seeds", "2", "--set", "rounds=2", "--out", out.toString(), "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("compare quickstart: 2 planners × 2 seeds",
                "| planner.solver | rounds | runs | participation |", "| psca | 2 | 2 |", "| uniform | 2 | 2 |");
        StudyTable table = StudyTables.read(out.resolve(StudyRunner.RESULTS));
        assertThat(table.rows()).hasSize(2).allSatisfy(row -> assertThat(row.runs()).isEqualTo(2));
        int gamma = table.metrics().indexOf("run_mean_gamma");
        // uniform gives every device dropout.rate; psca chooses its own.
        assertThat(table.rows().get(1).intervals().get(gamma).mean()).isEqualTo(0.5);
        assertThat(table.rows().get(0).intervals().get(gamma).mean()).isNotEqualTo(0.5);
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("p000-seed2").resolve("summary.json")).exists();
    }

    @Test
    void anUnknownPlannerOrABadOverrideIsBadInput() {
        CliRunner planner = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--planners", "psca,nope",
                "--out", temp.resolve("a").toString());
        assertThat(planner.exitCode()).isEqualTo(2);
        assertThat(planner.err()).contains("--planners nope: expected one of bnb, psca, no-dropout, fixed, uniform, random");
        CliRunner override = CliRunner.execute("compare", TestScenarios.quickstart().toString(), "--set", "rounds=0",
                "--out", temp.resolve("b").toString());
        assertThat(override.exitCode()).isEqualTo(2);
        assertThat(override.hasStackTrace()).isFalse();
        assertThat(temp.resolve("b")).doesNotExist();
    }
}
