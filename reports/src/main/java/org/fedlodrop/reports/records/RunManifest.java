package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * {@code manifest.json}: provenance of a run. Unlike the other files it holds wall-clock facts
 * (start, end, threads), so it is the one file that differs between two runs of the same scenario.
 *
 * @param status {@code running} while the run is under way, then {@code complete} or {@code failed}
 */
@JsonPropertyOrder({"tool", "version", "git_commit", "git_dirty", "scenario_name", "scenario_file", "seed",
        "backend", "input_sha256", "java_version", "dispatcher_threads", "started_at", "finished_at",
        "wall_time_s", "status", "message"})
public record RunManifest(String tool, String version, String gitCommit, Boolean gitDirty, String scenarioName,
                          String scenarioFile, long seed, String backend, Map<String, String> inputSha256,
                          String javaVersion, int dispatcherThreads, String startedAt, String finishedAt,
                          Double wallTimeS, String status, String message) {
    public RunManifest finished(String finishedAt, double wallTimeS, String status, String message) {
        return new RunManifest(tool, version, gitCommit, gitDirty, scenarioName, scenarioFile, seed, backend,
                inputSha256, javaVersion, dispatcherThreads, startedAt, finishedAt, wallTimeS, status, message);
    }
}
