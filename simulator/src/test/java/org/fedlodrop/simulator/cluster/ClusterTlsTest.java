package org.fedlodrop.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.simulator.RunDirectories;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.study.StudyJournal;
import org.fedlodrop.simulator.study.StudyRunner;
import org.fedlodrop.simulator.study.StudySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only our own members join (issue 35): with the cluster's keys, members on 127.0.0.1 talk mutual TLS; a study
 * and a sharded learning run give a one-machine run's files; a member with other keys is refused at the
 * handshake and says so, one without keys never joins, and the study completes without both.
 */
@org.junit.jupiter.api.Timeout(300)
class ClusterTlsTest {
    @TempDir
    Path temp;

    private final TestMembers members = new TestMembers();

    @AfterEach
    void stopMembers() throws Exception {
        members.close();
    }

    @Test
    void keysAreMadeOnceAndCheckedWhenRead() throws Exception {
        ClusterKeys keys = ClusterKeys.make(temp.resolve("keys"));
        assertThat(temp.resolve("keys").resolve(ClusterKeys.KEY_STORE)).isRegularFile();
        assertThat(keys.fingerprint()).hasSize(16).isEqualTo(ClusterKeys.read(temp.resolve("keys")).fingerprint());
        assertThat(ClusterKeys.make(temp.resolve("other")).fingerprint()).isNotEqualTo(keys.fingerprint());
        assertThatThrownBy(() -> ClusterKeys.make(temp.resolve("keys"))).hasMessageContaining("already holds cluster keys");
        Files.createDirectories(temp.resolve("half"));
        Files.copy(keys.keyStore(), temp.resolve("half").resolve(ClusterKeys.KEY_STORE));
        assertThatThrownBy(() -> ClusterKeys.read(temp.resolve("half"))).hasMessageContaining("no cluster.password in it");
        Files.writeString(temp.resolve("half").resolve(ClusterKeys.PASSWORD), "not-the-password\n");
        assertThatThrownBy(() -> ClusterKeys.read(temp.resolve("half"))).hasMessageContaining("cannot open it with cluster.password");
    }

    @Test
    void aStudyOverTlsGivesTheOneMachineFilesAndOnlyMembersWithTheKeysJoin() throws Exception {
        Path file = temp.resolve("study.yaml");
        Files.writeString(file, "name: tls\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n"
                + "grid:\n  dropout.rate: [0.2, 0.4, 0.6]\nseeds: [1, 2]\nmetrics: [participation, total_energy_j]\n"
                + "zip:\n  rounds: [3]\n  planner.solver: [fixed]\n");
        StudySpec spec = StudySpec.load(file);
        Path local = temp.resolve("local");
        new StudyRunner(spec, local).run(2, entry -> { });

        ClusterKeys ours = ClusterKeys.make(temp.resolve("ours"));
        ClusterKeys theirs = ClusterKeys.make(temp.resolve("theirs"));
        MemberAddress coordinator = TestMembers.freeSeed();
        AtomicReference<ClusterTlsEngine.Refused> refused = new AtomicReference<>();
        ActorSystem<Void> stranger = members.worker(coordinator, 1, Optional.of(theirs), refused::set);
        ActorSystem<Void> keyless = members.worker(coordinator, 1, Optional.empty(), r -> { });
        members.worker(coordinator, 1, Optional.of(ours), r -> { });
        Path clustered = temp.resolve("cluster");
        List<JournalEntry> finished = new CopyOnWriteArrayList<>();
        ClusterStudy.run(new StudyRunner(spec, clustered), coordinator, 0, finished::add, Optional.of(ours));

        assertThat(finished).hasSize(6);
        RunDirectories.assertSameFiles(clustered, local);
        assertThat(Files.readAllLines(clustered.resolve(StudyJournal.FILE))).hasSize(6).doesNotHaveDuplicates();
        // The member with another cluster's keys stopped, refused at the handshake, and said why.
        stranger.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(refused.get()).isNotNull();
        assertThat(refused.get().reason()).contains("its certificate is not this cluster's");
        // The member without keys speaks plain TCP to a TLS coordinator: it never joined.
        assertThat(Cluster.get(keyless).selfMember().status()).isNotEqualTo(MemberStatus.up());
    }

    @Test
    void aShardedLearningRunOverTlsGivesTheFilesOfALocalRun() throws Exception {
        LoadedScenario scenario = TestScenarios.quickstart("data.workload=synthetic", "devices.count=6", "rounds=3",
                "dropout.aggregation=masked-mean");
        Path local = temp.resolve("local");
        Files.createDirectories(local);
        ScenarioRun.execute(scenario, local, 2, RunProgress.NONE);
        ClusterKeys keys = ClusterKeys.make(temp.resolve("keys"));
        MemberAddress coordinator = TestMembers.freeSeed();
        members.worker(coordinator, 1, Optional.of(keys), r -> { });
        Path sharded = temp.resolve("sharded");
        Files.createDirectories(sharded);
        AtomicReference<java.util.Map<String, Integer>> placement = new AtomicReference<>();
        ScenarioRun.execute(scenario, sharded, 2, RunProgress.NONE,
                ShardedDevices.host(scenario, coordinator, 2, 2, placement::set, Optional.of(keys)));
        RunDirectories.assertSameFiles(sharded, local);
    }
}
