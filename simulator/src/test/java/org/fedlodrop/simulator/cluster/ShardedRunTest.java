package org.fedlodrop.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.fedlodrop.simulator.RunDirectories;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.actors.Simulation;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * One scenario with its devices sharded over three cluster members on 127.0.0.1: the clock protocol
 * crosses members, and the run's files are those of a one-member run with the same seed.
 */
@Timeout(300)
class ShardedRunTest {
    @TempDir
    Path temp;

    private final TestMembers members = new TestMembers();

    @AfterEach
    void stopMembers() throws Exception {
        members.close();
    }

    @Test
    void devicesShardedOverThreeMembersGiveTheFilesOfALocalRun() throws Exception {
        // Planner P-SCA, coherence blocks shorter than a round and moving devices: the messages that
        // cross members carry multi-block link timelines, plans and every outcome.
        LoadedScenario scenario = TestScenarios.quickstart("devices.count=24", "rounds=3", "planner.solver=psca",
                "channel.coherence_s=20", "mobility.model=random-waypoint", "seed=5");
        Map<String, Integer> placement = shardedAsLocal("cost", scenario, 3);
        assertThat(placement).hasSize(3);
        assertThat(placement.values()).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(placement.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(24);
    }

    /**
     * Runs {@code scenario} locally, then with its devices sharded over {@code count} members (this one and
     * workers in this JVM), checks every file is the same, and returns the devices per member.
     */
    private Map<String, Integer> shardedAsLocal(String name, LoadedScenario scenario, int count) throws Exception {
        Path local = temp.resolve(name + "-local");
        Files.createDirectories(local);
        ScenarioRun.execute(scenario, local, 2, RunProgress.NONE);
        MemberAddress coordinator = TestMembers.freeSeed();
        for (int i = 1; i < count; i++) {
            members.worker(coordinator, 1);
        }
        Path sharded = temp.resolve(name + "-sharded");
        Files.createDirectories(sharded);
        AtomicReference<Map<String, Integer>> placement = new AtomicReference<>();
        ScenarioRun.execute(scenario, sharded, 2, RunProgress.NONE,
                ShardedDevices.host(scenario, coordinator, count, 2, placement::set));
        RunDirectories.assertSameFiles(sharded, local);
        return placement.get();
    }

    /** A heterogeneous fleet: each member's devices take their class, data size and offline rounds from the same seed. */
    @Test
    void aHeterogeneousFleetShardedOverTwoMembersGivesTheFilesOfALocalRun() throws Exception {
        LoadedScenario scenario = TestScenarios.load("fleet.yaml", "data.workload=none", "rounds=4",
                "budgets.latency_s=240");
        Path local = temp.resolve("fleet-local");
        Files.createDirectories(local);
        ScenarioRun.execute(scenario, local, 2, RunProgress.NONE);

        MemberAddress coordinator = TestMembers.freeSeed();
        members.worker(coordinator, 1);
        Path sharded = temp.resolve("fleet-sharded");
        Files.createDirectories(sharded);
        ScenarioRun.execute(scenario, sharded, 2, RunProgress.NONE,
                ShardedDevices.host(scenario, coordinator, 2, 2, placement -> { }));

        RunDirectories.assertSameFiles(sharded, local);
        String devices = Files.readString(local.resolve("devices.csv"));
        assertThat(devices).contains(",offline,").contains(",iot,").contains(",unserved,");
    }

    /** Planned bit widths (issue 31) cross members with the plans, and each device rounds its upload where it lives. */
    @Test
    void plannedWidthsShardedOverTwoMembersGiveTheFilesOfALocalRun() throws Exception {
        LoadedScenario scenario = TestScenarios.load("first-run.yaml", "rounds=3", "model.bit_widths=[2, 8, 32]",
                "dropout.aggregation=masked-mean",
                "planner.bound.c_quant=10");
        Path local = temp.resolve("widths-local");
        Files.createDirectories(local);
        ScenarioRun.execute(scenario, local, 2, RunProgress.NONE);

        MemberAddress coordinator = TestMembers.freeSeed();
        members.worker(coordinator, 1);
        Path sharded = temp.resolve("widths-sharded");
        Files.createDirectories(sharded);
        ScenarioRun.execute(scenario, sharded, 2, RunProgress.NONE,
                ShardedDevices.host(scenario, coordinator, 2, 2, placement -> { }));

        RunDirectories.assertSameFiles(sharded, local);
        assertThat(Files.readString(local.resolve("events.jsonl"))).contains("\"bits\":2").contains("\"bits\":32");
    }

    /** Cells merging in the cloud (docs/hierarchy.md): the base station's backhaul is the same with devices on two members. */
    @Test
    void aBackhaulShardedOverTwoMembersGivesTheFilesOfALocalRun() throws Exception {
        LoadedScenario scenario = TestScenarios.load("first-run.yaml", "rounds=3", "dropout.aggregation=masked-mean",
                "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 1500, y_m: 0}]",
                "topology.backhaul={cloud_every: 2, links: [{from: cell-0, to: core, latency_s: 0.01, capacity_bps: 1e10}, "
                        + "{from: cell-1, to: core, latency_s: 0.02, capacity_bps: 2e9}, {from: core, to: cloud, latency_s: 0.005, "
                        + "capacity_bps: 5e9}]}");
        shardedAsLocal("backhaul", scenario, 2);
        assertThat(Files.readString(temp.resolve("backhaul-local").resolve("cells.csv")).lines()).hasSize(1 + 3 * 2);
    }

    /** Buffered aggregation (docs/buffered.md): jobs that start and end at any time cross members as rounds do. */
    @Test
    void bufferedJobsShardedOverTwoMembersGiveTheFilesOfALocalRun() throws Exception {
        LoadedScenario scenario = TestScenarios.load("fleet.yaml", "rounds=5",
                "federation={mode: buffered, buffer_size: 3, concurrency: 8}");
        shardedAsLocal("buffered", scenario, 2);
        assertThat(Files.readString(temp.resolve("buffered-local").resolve("devices.csv"))).contains("server_step,staleness,start_s");
    }

    /** Cost-only or learning: a member that leaves fails the run, with manifest.json saying so, and no model is written. */
    @ParameterizedTest(name = "data.workload={0}")
    @ValueSource(strings = {"none", "synthetic"})
    void aMemberLeavingMidRunFailsTheRunInsteadOfHangingIt(String workload) throws Exception {
        LoadedScenario scenario = TestScenarios.quickstart("data.workload=" + workload, "devices.count=12", "rounds=400",
                "dropout.aggregation=masked-mean");
        MemberAddress coordinator = TestMembers.freeSeed();
        ActorSystem<Void> leaving = members.worker(coordinator, 1);
        Path directory = temp.resolve("cut-" + workload);
        Files.createDirectories(directory);
        assertThatThrownBy(() -> ScenarioRun.execute(scenario, directory, 2, RunProgress.NONE,
                ShardedDevices.host(scenario, coordinator, 2, 2, perMember -> leaving.terminate())))
                .isInstanceOf(Simulation.RunFailedException.class)
                .hasMessageContaining("during a sharded run");
        assertThat(Files.readString(directory.resolve("manifest.json"))).contains("\"failed\"");
        assertThat(directory.resolve("model.safetensors")).doesNotExist();
    }

    /**
     * Learning in cohorts of three over three members: blocks of three devices live on one member each, some
     * downloads end after other devices' computations, and every file and the model are the local run's.
     */
    @Test
    void aLearningRunShardedOverThreeMembersTrainsEachDeviceWhereItLivesAndGivesTheLocalFiles() throws Exception {
        LoadedScenario scenario = TestScenarios.quickstart("data.workload=synthetic", "training.cohort=3",
                "devices.flops_per_cycle=30000", "devices.cpu_min_hz=1e9", "devices.count=12", "rounds=12",
                "planner.solver=fixed", "network.aggregation_time_s=0",
                // exact aggregation folds W0 on the server, which members do not share (refused by run --cluster).
                "dropout.aggregation=masked-mean");
        // Twelve rounds: the placement is reported by polling the shards, which a run of a few rounds can outpace.
        Map<String, Integer> placement = shardedAsLocal("learning", scenario, 3);
        assertThat(placement).as("devices per member, reported while the run went on").isNotNull();
        assertThat(temp.resolve("learning-sharded").resolve("model.safetensors")).exists();
        // Whole blocks of three: every member's count is a multiple of three.
        assertThat(placement.values()).allSatisfy(count -> assertThat(count % 3).isZero());
        assertThat(placement.values().stream().filter(count -> count > 0).count()).isGreaterThan(1);
    }
}
