package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.CellRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunSummary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code training.evaluate_every}: the global model is evaluated after rounds 0, N, 2N, … and the last (here N = 4 of 7 rounds: 0, 4 and 6), and nothing
 * else changes. Every kind of run against the same run evaluated every round: the same model, events, devices and
 * aggregation files byte for byte, the evaluated rounds' metrics the same doubles, the others NaN.
 */
class EvaluationScheduleTest {
    private static final String[] LEARNING = RunFixture.append(RunFixture.LEARNING, "rounds=7");
    private static final String LINKS = "links: [{from: cell-0, to: cloud, latency_s: 0.01, capacity_bps: 1e9}, "
            + "{from: cell-1, to: cloud, latency_s: 0.02, capacity_bps: 2e8}]";

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"flat", "buffered", "cells-merging-every-second-round", "centralised"})
    void onlyTheScheduledRoundsAreEvaluatedAndNothingElseChanges(String kind) throws Exception {
        String[] setting = switch (kind) {
            case "flat" -> LEARNING;
            case "buffered" -> RunFixture.append(LEARNING, "federation={mode: buffered, buffer_size: 3, concurrency: 8}");
            case "cells-merging-every-second-round" -> RunFixture.append(LEARNING, "topology.backhaul={cloud_every: 2, " + LINKS + "}");
            case "centralised" -> RunFixture.append(LEARNING, "training.arm=centralised");
            default -> throw new IllegalArgumentException(kind);
        };
        RunFixture every = RunFixture.run(temp.resolve(kind + "-every"), 2, setting);
        RunFixture fourth = RunFixture.run(temp.resolve(kind + "-fourth"), 2, RunFixture.append(setting, "training.evaluate_every=4"));

        List<String> same = new ArrayList<>(List.of(RunFiles.EVENTS, RunFiles.DEVICES));
        if (!kind.equals("centralised")) {
            same.addAll(List.of(RunFiles.AGGREGATION, RunFiles.MODEL));
        }
        for (String file : same) {
            assertThat(fourth.bytes(file)).as(kind + " " + file).isEqualTo(every.bytes(file));
        }
        List<RoundRecord> all = every.rounds();
        List<RoundRecord> some = fourth.rounds();
        assertThat(some).hasSameSizeAs(all).hasSize(7);
        for (int round = 0; round < all.size(); round++) {
            RoundRecord a = all.get(round);
            RoundRecord b = some.get(round);
            // The costs are the same whatever is evaluated.
            assertThat(b.energyJ()).isEqualTo(a.energyJ());
            assertThat(b.devicesAggregated()).isEqualTo(a.devicesAggregated());
            assertThat(Double.isNaN(a.testLoss())).as(kind + " round " + round + " evaluated every round").isFalse();
            if (round % 4 == 0 || round == all.size() - 1) {
                assertThat(new double[] {b.trainLoss(), b.testLoss(), b.testAccuracy(), b.genGap()}).as(kind + " round " + round)
                        .containsExactly(a.trainLoss(), a.testLoss(), a.testAccuracy(), a.genGap());
            } else {
                assertThat(List.of(b.trainLoss(), b.testLoss(), b.testAccuracy(), b.genGap())).as(kind + " round " + round)
                        .allMatch(value -> value.isNaN());
            }
        }
        RunSummary a = RunTables.readJson(every.directory().resolve(RunFiles.SUMMARY), RunSummary.class);
        RunSummary b = RunTables.readJson(fourth.directory().resolve(RunFiles.SUMMARY), RunSummary.class);
        assertThat(b.finalTestLoss()).isEqualTo(a.finalTestLoss());
        assertThat(b.finalTestAccuracy()).isEqualTo(a.finalTestAccuracy());
        // "Best" is the best of the rounds evaluated.
        assertThat(b.bestTestLossRound() % 4 == 0 || b.bestTestLossRound() == 6).isTrue();
        assertThat(b.bestTestLoss()).isGreaterThanOrEqualTo(a.bestTestLoss());

        if (kind.startsWith("cells")) {
            List<CellRoundRecord> cellsEvery = RunTables.readCsv(every.directory().resolve(RunFiles.CELLS), CellRoundRecord.class);
            List<CellRoundRecord> cellsFourth = RunTables.readCsv(fourth.directory().resolve(RunFiles.CELLS), CellRoundRecord.class);
            assertThat(cellsFourth).hasSameSizeAs(cellsEvery);
            for (int i = 0; i < cellsEvery.size(); i++) {
                CellRoundRecord x = cellsEvery.get(i);
                CellRoundRecord y = cellsFourth.get(i);
                if (x.round() % 4 == 0 || x.round() == 6) {
                    assertThat(y.testLoss()).isEqualTo(x.testLoss());
                } else {
                    assertThat(y.testLoss()).isNaN();
                }
            }
        }
    }
}
