package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.reports.io.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same scenario and seed, same bytes: whatever the dispatcher's thread count. */
class DeterminismTest {
    private static final String[] SCENARIO = {"devices.count=40", "network.bandwidth_hz=20e6", "rounds=6",
            "dropout.mask=bernoulli", "budgets.latency_s=123", "channel.coherence_s=2",
            "channel.shadowing_correlation_m=50", "mobility.model=random-waypoint", "mobility.speed_mps=2",
            "csi.model=noisy", "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 300, y_m: 0}]", "topology.association=strongest"};
    private static final List<String> FILES = List.of(RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES,
            RunFiles.SUMMARY, RunFiles.SCENARIO, RunFiles.TOPOLOGY, "report.html");

    @TempDir
    Path temp;

    @Test
    void sameSeedGivesByteIdenticalFilesOnOneAndOnEightThreads() throws Exception {
        RunFixture single = RunFixture.run(temp.resolve("one-thread"), 1, SCENARIO);
        RunFixture many = RunFixture.run(temp.resolve("eight-threads"), 8, SCENARIO);
        RunFixture again = RunFixture.run(temp.resolve("eight-threads-again"), 8, SCENARIO);
        for (String file : FILES) {
            assertThat(many.bytes(file)).as(file).isEqualTo(single.bytes(file));
            assertThat(again.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        // The run is not trivial: devices met, missed and refused, and the events are many.
        assertThat(single.devices()).extracting(d -> d.outcome().label()).contains("aggregated", "missed_deadline", "refused_energy");
        assertThat(single.events()).hasSizeGreaterThan(40 * 6 * 3);
    }

    @Test
    void theOptimisingPlannerIsDeterministicToo() throws Exception {
        for (String csi : List.of("noisy", "stale")) {
            // Plans for outage too: posteriors of noisy estimates, stale blocks and the worst later block.
            String[] psca = {"planner.solver=psca", "rounds=3", "channel.coherence_s=5", "csi.model=" + csi,
                    "planner.outage=0.05"};
            RunFixture single = RunFixture.run(temp.resolve("psca-one-" + csi), 1, psca);
            RunFixture many = RunFixture.run(temp.resolve("psca-eight-" + csi), 8, psca);
            for (String file : FILES) {
                assertThat(many.bytes(file)).as(csi + " " + file).isEqualTo(single.bytes(file));
            }
        }
    }

    /** Cells planned side by side on the run's pool (Planner, RoundPlanner.plansCellsIndependently): the same bytes. */
    @Test
    void cellsPlannedAtOnceGiveTheSameBytesOnAnyNumberOfThreads() throws Exception {
        String[] cells = {"planner.solver=psca", "rounds=4", "devices.count=24", "network.bandwidth_hz=4e6",
                "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}, {x_m: 0, y_m: 400}, {x_m: 400, y_m: 400}]"};
        RunFixture single = RunFixture.run(temp.resolve("cells-one"), 1, cells);
        RunFixture many = RunFixture.run(temp.resolve("cells-four"), 4, cells);
        for (String file : FILES) {
            assertThat(many.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        // Four cells planned every round, by B&B first and P-SCA after.
        assertThat(single.events().stream().filter(e -> e.type() == org.fedlodrop.reports.records.EventType.PLAN).count()).isEqualTo(16);
    }

    /**
     * A psca cell of more than 100 devices is first planned by P-SCA from DualStart, not by B&B: with every
     * device served (no fading, no shadowing), its first plan has no certified lower bound, which B&B's
     * would have, and the bytes are the same on one and on two threads.
     */
    @Test
    void aLargeCellsFirstPlanStartsFromTheDualRelaxation() throws Exception {
        String[] large = {"planner.solver=psca", "rounds=2", "devices.count=130", "network.bandwidth_hz=130e6",
                "channel.fading=none", "channel.shadowing_db=0"};
        RunFixture single = RunFixture.run(temp.resolve("large-one"), 1, large);
        RunFixture two = RunFixture.run(temp.resolve("large-two"), 2, large);
        for (String file : FILES) {
            assertThat(two.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        List<org.fedlodrop.reports.records.EventRecord> plans = single.events().stream()
                .filter(e -> e.type() == org.fedlodrop.reports.records.EventType.PLAN).toList();
        assertThat(plans).hasSize(2);
        org.fedlodrop.reports.records.EventRecord first = plans.get(0);
        assertThat(first.payload().get("solver")).isEqualTo("psca");
        assertThat(String.valueOf(first.payload().get("lower_bound"))).isEqualTo("NaN");
        assertThat(((Number) first.payload().get("unserved")).intValue()).isZero();
        assertThat(((Number) first.payload().get("iterations")).intValue()).isPositive();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "training.engine={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nd4j", "java"})
    void learningRunsAreDeterministicOnAnyNumberOfThreads(String engine) throws Exception {
        RunFixture single = RunFixture.run(temp.resolve("learn-one"), 1, learning(engine));
        RunFixture many = RunFixture.run(temp.resolve("learn-four"), 4, learning(engine));
        for (String file : FILES) {
            assertThat(many.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        assertThat(single.rounds()).allSatisfy(round -> {
            assertThat(round.trainLoss()).isFinite().isPositive();
            assertThat(round.testLoss()).isFinite().isPositive();
            assertThat(round.testAccuracy()).isBetween(0.0, 1.0);
            assertThat(round.genGap()).isEqualTo(round.testLoss() - round.trainLoss());
        });
        assertThat(single.rounds().get(3).trainLoss()).isLessThan(single.rounds().get(0).trainLoss());
        assertThat(single.devices()).filteredOn(d -> d.outcome().label().equals("aggregated"))
                .allSatisfy(d -> assertThat(d.localLoss()).isFinite());
    }

    /**
     * The two engines run the same arithmetic in another float32 summation order: over four rounds of ten
     * devices their losses agree to float32 rounding, amplified a little by AdamW's normalised steps.
     */
    @Test
    void bothTrainingEnginesLearnTheSame() throws Exception {
        RunFixture nd4j = RunFixture.run(temp.resolve("engine-nd4j"), 2, learning("nd4j"));
        RunFixture java = RunFixture.run(temp.resolve("engine-java"), 2, learning("java"));
        assertThat(java.bytes(RunFiles.ROUNDS)).isNotEqualTo(nd4j.bytes(RunFiles.ROUNDS));
        assertLearnsAs(nd4j, java);
    }

    /**
     * A frozen-head run ({@code training.train_lora: false}) reads its head's inputs from one memo that its devices
     * and its server fill as they ask (FrozenHeadInputs): the same bytes on one and four threads, and, against
     * ND4J's engine, which runs every forward pass, the same learning to float32 rounding.
     */
    @Test
    void frozenHeadRunsAreDeterministicAndLearnAsWholeForwardPassesDo() throws Exception {
        RunFixture single = RunFixture.run(temp.resolve("frozen-one"), 1, with(learning("java"), "training.train_lora=false"));
        RunFixture many = RunFixture.run(temp.resolve("frozen-four"), 4, with(learning("java"), "training.train_lora=false"));
        for (String file : FILES) {
            assertThat(many.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        RunFixture nd4j = RunFixture.run(temp.resolve("frozen-nd4j"), 2, with(learning("nd4j"), "training.train_lora=false"));
        assertLearnsAs(nd4j, single);
        assertThat(single.rounds().get(3).trainLoss()).isLessThan(single.rounds().get(0).trainLoss());
    }

    /**
     * Cohorts (a round's devices trained together, their frozen products stacked) change only the order
     * of float summation: a run with every device alone learns the same to float32 rounding.
     */
    @Test
    void cohortsLearnAsDevicesTrainedAlone() throws Exception {
        RunFixture alone = RunFixture.run(temp.resolve("cohort-1"), 2, with(learning("java"), "training.cohort=1"));
        RunFixture together = RunFixture.run(temp.resolve("cohort-10"), 2, with(learning("java"), "training.cohort=10"));
        assertLearnsAs(alone, together);
        assertThat(together.devices()).extracting(d -> d.outcome().label())
                .isEqualTo(alone.devices().stream().map(d -> d.outcome().label()).toList());
    }

    /** Round by round, {@code actual}'s training and test losses within 0.01 % of {@code expected}'s. */
    private static void assertLearnsAs(RunFixture expected, RunFixture actual) throws Exception {
        assertThat(actual.rounds()).hasSameSizeAs(expected.rounds());
        for (int r = 0; r < expected.rounds().size(); r++) {
            assertThat(actual.rounds().get(r).trainLoss()).as("round %d train_loss", r).isCloseTo(
                    expected.rounds().get(r).trainLoss(), org.assertj.core.data.Percentage.withPercentage(0.01));
            assertThat(actual.rounds().get(r).testLoss()).as("round %d test_loss", r).isCloseTo(
                    expected.rounds().get(r).testLoss(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
    }

    private static String[] with(String[] overrides, String more) {
        String[] all = java.util.Arrays.copyOf(overrides, overrides.length + 1);
        all[overrides.length] = more;
        return all;
    }

    private static String[] learning(String engine) {
        return new String[] {"data.workload=synthetic", "rounds=4", "planner.solver=fixed", "dropout.rate=0.3",
                "model.widths=[16, 32, 32]", "budgets.latency_s=130", "budgets.energy_j=110", "training.engine=" + engine};
    }

    /** Classes dealt from the seed, Markov availability, a capability trace, D_k-weighted learning. */
    @Test
    void labelShardsKeepEachDevicesSizeAndAreDeterministicOnAnyNumberOfThreads() throws Exception {
        // fleet.yaml's classes hold 10, 30 and 100 samples; label-shards keeps them (label-skew would not).
        String[] shards = {"rounds=3", "data.partition=label-shards", "data.classes_per_device=1", "model.classes=4"};
        RunFixture single = RunFixture.runScenario(temp.resolve("shards-one"), "fleet.yaml", 1, shards);
        RunFixture many = RunFixture.runScenario(temp.resolve("shards-eight"), "fleet.yaml", 8, shards);
        for (String file : FILES) {
            assertThat(many.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        java.util.Map<String, Long> sizes = java.util.Map.of("iot", 10L, "phone", 30L, "laptop", 100L);
        assertThat(single.devices()).allSatisfy(d -> assertThat(d.samples()).isEqualTo(sizes.get(d.deviceClass())));
    }

    @Test
    void heterogeneousFleetsAreDeterministicOnAnyNumberOfThreads() throws Exception {
        Path trace = temp.resolve("devices.csv");
        java.nio.file.Files.writeString(trace, "device,class,samples,offline\n3,laptop,,\n7,,55,2;4-5\n11,iot,12,\n");
        String[] fleet = {"rounds=6", "devices.trace_file=" + trace, "data.partition=quantity-skew"};
        RunFixture single = RunFixture.runScenario(temp.resolve("fleet-one"), "fleet.yaml", 1, fleet);
        RunFixture many = RunFixture.runScenario(temp.resolve("fleet-eight"), "fleet.yaml", 8, fleet);
        for (String file : FILES) {
            assertThat(many.bytes(file)).as(file).isEqualTo(single.bytes(file));
        }
        assertThat(single.devices()).extracting(d -> d.outcome().label()).contains("aggregated", "offline");
        assertThat(single.devices()).extracting(d -> d.deviceClass()).contains("iot", "phone", "laptop");
        assertThat(single.devices()).filteredOn(d -> d.device() == 7 && (d.round() == 2 || d.round() == 4))
                .allSatisfy(d -> assertThat(d.outcome().label()).isEqualTo("offline"));
    }

    @Test
    void anotherSeedGivesAnotherRun() throws Exception {
        RunFixture one = RunFixture.run(temp.resolve("seed-1"), 2, SCENARIO);
        String[] other = java.util.stream.Stream.concat(java.util.Arrays.stream(SCENARIO), java.util.stream.Stream.of("seed=2"))
                .toArray(String[]::new);
        RunFixture two = RunFixture.run(temp.resolve("seed-2"), 2, other);
        assertThat(two.bytes(RunFiles.DEVICES)).isNotEqualTo(one.bytes(RunFiles.DEVICES));
    }
}
