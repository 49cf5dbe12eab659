package org.fedlodrop.simulator.study;

import org.fedlodrop.reports.records.RoundRecord;

/**
 * Told of each finished round of a study's runs, e.g. to show a long run's progress before it ends. Called from
 * the runs' recorder threads, several at once when the study runs several runs at once.
 */
@FunctionalInterface
public interface RunRounds {
    RunRounds NONE = (run, rounds, round) -> {
    };

    /**
     * @param run    the run's directory name ({@code pNNN-seedS})
     * @param rounds the run's number of rounds
     * @param round  the round just finished (or replayed from a checkpoint)
     */
    void roundFinished(String run, int rounds, RoundRecord round);
}
