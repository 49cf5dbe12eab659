package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: provenance of a run. Unlike the other files it holds wall-clock facts
 * (start, end, threads, resumes), so it is the one file that differs between two runs of the same scenario.
 *
 * @param status  {@code running} while the run is under way, then {@code complete} or {@code failed}
 * @param checkpoints the checkpoints this process wrote and the seconds they took; absent if none
 * @param resumes each time the run was resumed ({@code run --resume}), oldest first; absent if never
 */
@JsonPropertyOrder({"tool", "version", "git_commit", "git_dirty", "scenario_name", "scenario_file", "seed",
        "backend", "input_sha256", "java_version", "dispatcher_threads", "started_at", "finished_at",
        "wall_time_s", "status", "message", "checkpoints", "resumes"})
public record RunManifest(String tool, String version, String gitCommit, Boolean gitDirty, String scenarioName,
                          String scenarioFile, long seed, String backend, Map<String, String> inputSha256,
                          String javaVersion, int dispatcherThreads, String startedAt, String finishedAt,
                          Double wallTimeS, String status, String message,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Checkpointing checkpoints,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Resumed> resumes) {
    public RunManifest {
        resumes = resumes == null ? List.of() : List.copyOf(resumes);
    }

    /**
     * One resume: when, with how many dispatcher threads, from which round (0: no checkpoint, the run started
     * again), and which checkpoints were passed over and why.
     */
    public record Resumed(String at, int dispatcherThreads, int fromRound, String checkpoint, List<String> passedOver) {
        public Resumed {
            passedOver = passedOver == null ? List.of() : List.copyOf(passedOver);
        }
    }

    /**
     * Checkpoints written by the process that ran (or resumed) the run, the wall seconds their thread spent
     * writing them, and the seconds the run paused for them.
     */
    public record Checkpointing(int written, double seconds, double pausedS) {
    }

    public RunManifest finished(String finishedAt, double wallTimeS, String status, String message) {
        return new RunManifest(tool, version, gitCommit, gitDirty, scenarioName, scenarioFile, seed, backend,
                inputSha256, javaVersion, dispatcherThreads, startedAt, finishedAt, wallTimeS, status, message,
                checkpoints, resumes);
    }

    public RunManifest withCheckpoints(Checkpointing written) {
        return new RunManifest(tool, version, gitCommit, gitDirty, scenarioName, scenarioFile, seed, backend,
                inputSha256, javaVersion, dispatcherThreads, startedAt, finishedAt, wallTimeS, status, message,
                written, resumes);
    }

    /** The manifest of the run resumed now: running again, the resume added. */
    public RunManifest resumed(Resumed resume) {
        List<Resumed> all = new ArrayList<>(resumes);
        all.add(resume);
        return new RunManifest(tool, version, gitCommit, gitDirty, scenarioName, scenarioFile, seed, backend,
                inputSha256, javaVersion, dispatcherThreads, startedAt, null, null, "running", null, null, all);
    }
}
