package org.fedlodrop.simulator.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyRunnerRoundsTest {
    @TempDir
    Path temp;

    /** Every round of every run reaches the listener, named by its run, with the run's own number of rounds. */
    @Test
    void everyRoundOfEveryRunIsToldWithItsRunAndTotal() throws Exception {
        Path file = temp.resolve("study.yaml");
        Files.writeString(file, "name: rounds\nbase: " + TestScenarios.quickstart().toAbsolutePath()
                + "\nzip:\n  rounds: [2, 3]\nseeds: [1, 2]\nmetrics: [participation]\n");
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        new StudyRunner(StudySpec.load(file), temp.resolve("out")).run(2, 1, entry -> { }, resumed -> { },
                (run, rounds, round) -> heard.add(run + " " + round.round() + "/" + rounds));
        assertThat(heard).containsExactlyInAnyOrder(
                "p000-seed1 0/2", "p000-seed1 1/2", "p000-seed2 0/2", "p000-seed2 1/2",
                "p001-seed1 0/3", "p001-seed1 1/3", "p001-seed1 2/3",
                "p001-seed2 0/3", "p001-seed2 1/3", "p001-seed2 2/3");
    }
}
