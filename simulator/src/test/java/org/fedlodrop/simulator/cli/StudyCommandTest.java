package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.study.StudyJournal;
import org.fedlodrop.simulator.study.StudyRunner;
import org.fedlodrop.reports.io.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyCommandTest {
    @TempDir
    Path temp;

    /** A study of scenarios/synthetic.yaml (learning runs) with this body after its base. */
    private Path learningStudy(String body) throws Exception {
        Path file = temp.resolve("learning.yaml");
        Files.writeString(file, "name: learning\nbase: " + TestScenarios.file("synthetic.yaml").toAbsolutePath() + "\n" + body);
        return file;
    }

    private Path studyFile(String body) throws Exception {
        Path file = temp.resolve("study.yaml");
        Files.writeString(file, "name: tiny\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n" + body);
        return file;
    }

    @Test
    void runsEveryPointAndSeedAndTabulatesMeansAndIntervals() throws Exception {
        Path study = studyFile("grid:\n  dropout.rate: [0.3, 0.6]\nzip:\n  devices.count: [3, 4]\n  rounds: [2, 3]\n"
                + "seeds: [1, 2]\nmetrics: [participation, total_energy_j, mean_gamma]\n");
        Path out = temp.resolve("out");
        CliRunner result = CliRunner.execute("study", study.toString(), "--out", out.toString(), "--workers", "2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = Files.readAllLines(out.resolve(StudyRunner.RESULTS));
        assertThat(rows.get(0)).isEqualTo("point,dropout.rate,devices.count,rounds,runs,participation_mean,participation_ci95,"
                + "total_energy_j_mean,total_energy_j_ci95,mean_gamma_mean,mean_gamma_ci95");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(1)).startsWith("0,0.3,3,2,2,");
        assertThat(rows.get(4)).startsWith("3,0.6,4,3,2,");
        // The fixed γ of every run is the point's: mean exactly, interval zero.
        assertThat(rows.get(4)).endsWith(",0.6,0.0");
        assertThat(Files.readAllLines(out.resolve(StudyJournal.FILE))).hasSize(8);
        assertThat(out.resolve("p003-seed2").resolve("rounds.csv")).exists();
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("id=\"participation\"", "id=\"total_energy_j\"", "id=\"mean_gamma\"", "<svg",
                "devices.count=3, rounds=2");
        assertThat(out.resolve("plots").resolve("participation.svg")).exists();
    }

    @Test
    void aStudyKilledMidwayAndResumedGivesTheSameResultsWithEveryRunOnce() throws Exception {
        Path study = studyFile("grid:\n  dropout.rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]\nseeds: [1, 2]\n"
                + "metrics: [participation, total_energy_j, virtual_time_s]\n");
        Path whole = temp.resolve("whole");
        assertThat(CliRunner.execute("study", study.toString(), "--out", whole.toString(), "-q").exitCode()).isZero();

        Path killed = temp.resolve("killed");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FedLoDrop.class.getName(),
                "study", study.toString(), "--out", killed.toString(), "--workers", "1", "-q")
                .redirectErrorStream(true).redirectOutput(temp.resolve("child.log").toFile()).start();
        Path journal = killed.resolve(StudyJournal.FILE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (!Files.exists(journal) || Files.readAllLines(journal).size() < 3)) {
            Thread.sleep(20);
        }
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int before = Files.readAllLines(journal).size();
        assertThat(before).as(Files.readString(temp.resolve("child.log"))).isBetween(3, 11);
        // The killed study can be read: results.csv holds the runs its journal does, point by point.
        CliRunner sofar = CliRunner.execute("table", killed.toString());
        assertThat(sofar.exitCode()).as(sofar.err()).isZero();
        List<String> rows = Files.readAllLines(killed.resolve(StudyRunner.RESULTS));
        assertThat(rows).hasSize(7);
        int runsColumn = List.of(rows.get(0).split(",")).indexOf("runs");
        assertThat(rows.subList(1, 7).stream().mapToInt(row -> Integer.parseInt(row.split(",")[runsColumn])).sum())
                .isBetween(before - 1, before); // the kill may fall between a journal line and its table
        assertThat(sofar.out()).contains("| 0.1 | ");
        CliRunner noCurves = CliRunner.execute("table", killed.toString(), "--curves");
        assertThat(noCurves.exitCode()).isEqualTo(2);
        assertThat(noCurves.err()).contains("curves.csv is written when the study ends");

        CliRunner resumed = CliRunner.execute("study", study.toString(), "--out", killed.toString(), "--resume", "-q");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readString(killed.resolve(StudyRunner.RESULTS)))
                .isEqualTo(Files.readString(whole.resolve(StudyRunner.RESULTS)));
        List<String> lines = Files.readAllLines(journal);
        assertThat(lines).hasSize(12).doesNotHaveDuplicates();
    }

    /**
     * A learning run the killed study left with a checkpoint goes on from it, to the files of a study never killed
     * (killed as soon as the checkpoint of round 5 is in place: checkpoints are written beside the run).
     */
    @Test
    void aStudyResumedAfterSigkillContinuesItsUnfinishedRunFromItsCheckpoint() throws Exception {
        Path study = learningStudy("grid:\n  rounds: [12]\n  output.checkpoint_every: [5]\nseeds: [1]\nmetrics: [final_test_loss]\n");
        Path whole = temp.resolve("whole-learning");
        assertThat(CliRunner.execute("study", study.toString(), "--out", whole.toString(), "-q").exitCode()).isZero();

        Path killed = temp.resolve("killed-learning");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfedlodrop.failpoint=checkpoint-written:5", "-cp", System.getProperty("java.class.path"),
                FedLoDrop.class.getName(), "study", study.toString(), "--out", killed.toString(), "--workers", "1", "-q")
                .redirectErrorStream(true).redirectOutput(temp.resolve("learning.log").toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(temp.resolve("learning.log"))).isEqualTo(137);

        CliRunner resumed = CliRunner.execute("study", study.toString(), "--out", killed.toString(), "--resume");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        String run = StudyRunner.directoryName(0, 1);
        assertThat(resumed.err()).contains("resuming " + run + " from round 5, the checkpoint an earlier attempt left");
        assertThat(Files.readString(killed.resolve(run).resolve(RunFiles.MANIFEST))).contains("\"from_round\" : 5");
        for (String file : List.of(RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.EVENTS, RunFiles.AGGREGATION,
                RunFiles.MODEL, RunFiles.SUMMARY)) {
            assertThat(Files.readAllBytes(killed.resolve(run).resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(whole.resolve(run).resolve(file)));
        }
        assertThat(Files.readString(killed.resolve(StudyRunner.RESULTS)))
                .isEqualTo(Files.readString(whole.resolve(StudyRunner.RESULTS)));
    }

    @Test
    void curvesFollowAMetricRoundByRoundAsTheMeanOverSeeds() throws Exception {
        Path study = studyFile("grid:\n  dropout.rate: [0.3, 0.7]\nzip:\n  rounds: [4]\nseeds: [1, 2, 3]\n"
                + "metrics: [participation]\ncurves: [latency_s, energy_j]\n");
        Path out = temp.resolve("curves");
        CliRunner result = CliRunner.execute("study", study.toString(), "--out", out.toString(), "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = Files.readAllLines(out.resolve(StudyRunner.CURVES));
        assertThat(rows.get(0)).isEqualTo("point,dropout.rate,rounds,round,runs,latency_s_mean,latency_s_ci95,energy_j_mean,energy_j_ci95");
        assertThat(rows).hasSize(1 + 2 * 4);
        // Point 1, round 2: the mean of the three runs' own rounds.csv values.
        double sum = 0;
        for (long seed = 1; seed <= 3; seed++) {
            List<org.fedlodrop.reports.records.RoundRecord> rounds = org.fedlodrop.reports.io.RunTables.readCsv(
                    out.resolve(StudyRunner.directoryName(1, seed)).resolve("rounds.csv"),
                    org.fedlodrop.reports.records.RoundRecord.class);
            sum += rounds.get(2).energyJ();
        }
        String[] row = rows.get(1 + 4 + 2).split(",");
        assertThat(row[0]).isEqualTo("1");
        assertThat(row[3]).isEqualTo("2");
        assertThat(row[4]).isEqualTo("3");
        assertThat(Double.parseDouble(row[7])).isCloseTo(sum / 3, org.assertj.core.api.Assertions.within(1e-9 * sum));
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"round-latency_s\"", "id=\"round-energy_j\"");
        assertThat(out.resolve("plots").resolve("round-energy_j.svg")).exists();

        // `table` prints the same numbers as markdown, 4 significant digits, mean ± interval.
        CliRunner table = CliRunner.execute("table", out.toString(), "--curves", "--rounds", "2");
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("| dropout.rate | rounds | round | runs | latency_s | energy_j |");
        assertThat(lines).hasSize(2 + 2);
        String expected = new java.math.BigDecimal(Double.parseDouble(row[7])).round(new java.math.MathContext(4))
                .stripTrailingZeros().toPlainString();
        assertThat(lines.get(3)).startsWith("| 0.7 | 4 | 2 | 3 |").contains("| " + expected + " ± ");
        CliRunner noStudy = CliRunner.execute("table", temp.toString());
        assertThat(noStudy.exitCode()).isEqualTo(2);
        assertThat(noStudy.err()).contains("no results.csv here");

        Path bad = studyFile("grid:\n  dropout.rate: [0.3]\nseeds: [1]\nmetrics: [participation]\ncurves: [mood]\n");
        CliRunner rejected = CliRunner.execute("study", bad.toString(), "--out", temp.resolve("bad").toString());
        assertThat(rejected.exitCode()).isEqualTo(2);
        assertThat(rejected.err()).contains("curves: 'mood' is not a rounds.csv column");
    }

    /** A study of one point over seeds has no axis columns: its table's header, rule and row have as many cells. */
    @Test
    void aStudyWithoutAxesTabulatesOneRowOfAsManyCellsAsItsHeader() throws Exception {
        Path study = studyFile("set:\n  devices.count: 3\n  rounds: 2\nseeds: [1, 2]\nmetrics: [participation, total_energy_j]\n");
        Path out = temp.resolve("one-point");
        assertThat(CliRunner.execute("study", study.toString(), "--out", out.toString(), "-q").exitCode()).isZero();
        CliRunner table = CliRunner.execute("table", out.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("| runs | participation | total_energy_j |");
        assertThat(lines.get(1)).isEqualTo("|---:|---:|---:|");
        assertThat(lines.get(2)).startsWith("| 2 | ");
        assertThat(lines.get(2).chars().filter(c -> c == '|').count()).isEqualTo(4);
    }

    /** {@code set} fixes a field for every run without making it an axis; a field both fixed and swept is refused. */
    @Test
    void setFixesAFieldForEveryRunWithoutAnAxis() throws Exception {
        Path study = studyFile("set:\n  devices.count: 3\n  rounds: 2\ngrid:\n  dropout.rate: [0.3, 0.6]\n"
                + "seeds: [1]\nmetrics: [participation, mean_gamma]\n");
        Path out = temp.resolve("fixed");
        CliRunner result = CliRunner.execute("study", study.toString(), "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = Files.readAllLines(out.resolve(StudyRunner.RESULTS));
        assertThat(rows.get(0)).startsWith("point,dropout.rate,runs,");
        assertThat(Files.readAllLines(out.resolve("p001-seed1").resolve("rounds.csv"))).hasSize(3);
        assertThat(Files.readString(out.resolve("p001-seed1").resolve(RunFiles.SCENARIO))).contains("count: 3");

        Path both = studyFile("set:\n  rounds: 2\ngrid:\n  rounds: [2, 3]\nseeds: [1]\nmetrics: [participation]\n");
        CliRunner refused = CliRunner.execute("study", both.toString(), "--out", temp.resolve("both").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("set.rounds: is also a sweep axis");
        assertThat(refused.hasStackTrace()).isFalse();
    }

    /**
     * --threads lends each run more dispatcher threads (by default, the processors the runs at once leave): the
     * runs' files are the same bytes as those of runs on one thread each, and the manifest says how many ran.
     */
    @Test
    void threadsPerRunChangeNoRunsBytes() throws Exception {
        Path study = learningStudy("set:\n  rounds: 2\n  devices.count: 4\nseeds: [1, 2]\nmetrics: [final_test_accuracy]\n");
        Path single = temp.resolve("single");
        Path lent = temp.resolve("lent");
        CliRunner one = CliRunner.execute("study", study.toString(), "--out", single.toString(), "--workers", "2",
                "--threads", "1", "-q");
        CliRunner three = CliRunner.execute("study", study.toString(), "--out", lent.toString(), "--workers", "1",
                "--threads", "3", "-q");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(three.exitCode()).as(three.err()).isZero();
        for (String run : List.of("p000-seed1", "p000-seed2")) {
            for (String file : List.of("rounds.csv", "events.jsonl", "summary.json")) {
                assertThat(Files.readAllBytes(lent.resolve(run).resolve(file)))
                        .as(run + "/" + file).isEqualTo(Files.readAllBytes(single.resolve(run).resolve(file)));
            }
            assertThat(Files.readString(single.resolve(run).resolve(RunFiles.MANIFEST))).contains("\"dispatcher_threads\" : 1,");
            assertThat(Files.readString(lent.resolve(run).resolve(RunFiles.MANIFEST))).contains("\"dispatcher_threads\" : 3,");
        }
        assertThat(Files.readAllBytes(lent.resolve(StudyRunner.RESULTS)))
                .isEqualTo(Files.readAllBytes(single.resolve(StudyRunner.RESULTS)));

        CliRunner zero = CliRunner.execute("study", study.toString(), "--out", temp.resolve("zero").toString(),
                "--threads", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--threads 0: expected 1 to 256");
        assertThat(zero.hasStackTrace()).isFalse();
    }

    @Test
    void badStudiesAreBadInput() throws Exception {
        Path unknown = studyFile("grid:\n  dropout.rate: [0.3]\nseeds: [1]\nmetrics: [participation]\nsweep: 3\n");
        CliRunner first = CliRunner.execute("study", unknown.toString(), "--out", temp.resolve("a").toString());
        assertThat(first.exitCode()).isEqualTo(2);
        assertThat(first.err()).contains("sweep: unknown field");
        Path metric = studyFile("grid:\n  dropout.rate: [0.3]\nseeds: [1]\nmetrics: [happiness]\n");
        CliRunner second = CliRunner.execute("study", metric.toString(), "--out", temp.resolve("b").toString());
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.err()).contains("'happiness' is neither a summary.json field nor a rounds.csv column");
        Path field = studyFile("grid:\n  dropout.rate: [0.3, 1.5]\nseeds: [1]\nmetrics: [participation]\n");
        CliRunner third = CliRunner.execute("study", field.toString(), "--out", temp.resolve("c").toString());
        assertThat(third.exitCode()).isEqualTo(2);
        assertThat(third.err()).contains("--set dropout.rate=1.5");
        assertThat(temp.resolve("c")).doesNotExist();
        assertThat(first.hasStackTrace() || second.hasStackTrace() || third.hasStackTrace()).isFalse();
    }
}
