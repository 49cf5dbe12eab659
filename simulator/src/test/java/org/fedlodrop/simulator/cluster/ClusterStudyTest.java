package org.fedlodrop.simulator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorSystem;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.simulator.RunDirectories;
import org.fedlodrop.simulator.TestScenarios;
import org.fedlodrop.simulator.study.StudyJournal;
import org.fedlodrop.simulator.study.StudyRunner;
import org.fedlodrop.simulator.study.StudySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Studies on a Pekko Cluster of members on 127.0.0.1 ports inside this test: the same files as a
 * one-machine study, byte for byte, and every run exactly once when a member stops midway.
 */
@org.junit.jupiter.api.Timeout(300)
class ClusterStudyTest {
    @TempDir
    Path temp;

    private final TestMembers members = new TestMembers();

    @AfterEach
    void stopMembers() throws Exception {
        members.close();
    }

    private StudySpec study(String body) throws Exception {
        Path file = temp.resolve("study.yaml");
        Files.writeString(file, "name: cluster\nbase: " + TestScenarios.quickstart().toAbsolutePath() + "\n" + body);
        return StudySpec.load(file);
    }

    @Test
    void aStudyOnThreeMembersWritesTheFilesOfAOneMachineStudy() throws Exception {
        StudySpec spec = study("grid:\n  channel.fading: [rayleigh, rician, nakagami]\n  dropout.rate: [0.3, 0.6]\n"
                + "seeds: [1, 2]\nmetrics: [participation, total_energy_j]\n"
                + "zip:\n  rounds: [3]\n  planner.solver: [fixed]\n");
        Path local = temp.resolve("local");
        new StudyRunner(spec, local).run(2, entry -> { });

        MemberAddress coordinator = TestMembers.freeSeed();
        members.worker(coordinator, 1);
        members.worker(coordinator, 2);
        Path clustered = temp.resolve("cluster");
        List<JournalEntry> finished = new CopyOnWriteArrayList<>();
        // The coordinator runs nothing itself: every run comes from the two workers' members.
        ClusterStudy.run(new StudyRunner(spec, clustered), coordinator, 0, finished::add);

        assertThat(finished).hasSize(12);
        RunDirectories.assertSameFiles(clustered, local);
        assertThat(Files.readAllLines(clustered.resolve(StudyJournal.FILE))).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void aMemberStoppedMidStudyHasItsRunsReassignedAndEveryRunIsJournalledOnce() throws Exception {
        StudySpec spec = study("grid:\n  dropout.rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]\n"
                + "seeds: [1, 2]\nmetrics: [participation, total_energy_j, virtual_time_s]\n"
                + "zip:\n  rounds: [6]\n  planner.solver: [fixed]\n");
        Path local = temp.resolve("local");
        new StudyRunner(spec, local).run(2, entry -> { });

        MemberAddress coordinator = TestMembers.freeSeed();
        ActorSystem<Void> leaving = members.worker(coordinator, 2);
        members.worker(coordinator, 1);
        Path clustered = temp.resolve("cluster");
        List<JournalEntry> finished = new CopyOnWriteArrayList<>();
        ClusterStudy.run(new StudyRunner(spec, clustered), coordinator, 0, entry -> {
            finished.add(entry);
            if (finished.size() == 3) {
                // Mid-study, with runs in flight on it: the member shuts down and leaves the cluster.
                leaving.terminate();
            }
        });

        // terminate() is asynchronous: the study can finish on the other member before the leaving one has
        // shut down, so wait for it (bounded) rather than race it.
        leaving.getWhenTerminated().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(leaving.getWhenTerminated().toCompletableFuture().isDone()).isTrue();
        assertThat(finished).hasSize(16);
        List<String> journal = Files.readAllLines(clustered.resolve(StudyJournal.FILE));
        assertThat(journal).hasSize(16).doesNotHaveDuplicates();
        assertThat(journal.stream().map(line -> line.substring(0, line.indexOf(",\"metrics\"")))).doesNotHaveDuplicates();
        RunDirectories.assertSameFiles(clustered, local);
    }
}
