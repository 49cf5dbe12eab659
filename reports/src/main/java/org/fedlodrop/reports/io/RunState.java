package org.fedlodrop.reports.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a run directory stands: finished, failed, still running (a live process holds its {@link RunLock}), or
 * interrupted (its manifest says running but nothing holds the lock: the process was killed), with the rounds
 * whose rows its files keep (every round's rows are flushed when it ends) and the manifest's message.
 */
public record RunState(Status status, int finishedRounds, String message) {
    public enum Status {
        COMPLETE, FAILED, RUNNING, INTERRUPTED, UNKNOWN
    }

    public static RunState of(Path directory) throws IOException {
        Path manifest = directory.resolve(RunFiles.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return new RunState(Status.UNKNOWN, 0, "");
        }
        JsonNode node = RunFormats.jsonDocument().readTree(manifest.toFile());
        String status = node.path("status").asText("");
        Status state = switch (status) {
            case "complete" -> Status.COMPLETE;
            case "failed" -> Status.FAILED;
            case "running" -> lockHeld(directory.resolve(RunFiles.LOCK)) ? Status.RUNNING : Status.INTERRUPTED;
            default -> Status.UNKNOWN;
        };
        return new RunState(state, finishedRounds(directory), node.path("message").asText(""));
    }

    /** Whether a live process holds the lock (this one included). */
    private static boolean lockHeld(Path lock) throws IOException {
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock taken = channel.tryLock();
            if (taken == null) {
                return true;
            }
            taken.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Complete rows of rounds.csv, or of rounds.csv.part while the run has not ended. */
    private static int finishedRounds(Path directory) throws IOException {
        Path rounds = readable(directory, RunFiles.ROUNDS);
        if (!Files.isRegularFile(rounds)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(rounds);
        int lines = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        return Math.max(0, lines - 1);
    }

    /** One sentence for a user: what happened to the run and what is left of it; empty for a finished run. */
    public String describe(Path directory) {
        return switch (status) {
            case COMPLETE -> "";
            case RUNNING -> directory + " is still running (a live process holds its " + RunFiles.LOCK + "); "
                    + finishedRounds + " rounds have finished so far";
            case INTERRUPTED -> directory + " was interrupted after " + finishedRounds + " finished rounds (its manifest"
                    + " says running, but no process holds its " + RunFiles.LOCK + "; fedlodrop run --resume " + directory
                    + " goes on with it)";
            case FAILED -> directory + " failed after " + finishedRounds + " finished rounds"
                    + (message.isBlank() ? "" : ": " + message);
            case UNKNOWN -> directory + " has no readable manifest.json; expected a run directory";
        };
    }

    /** The run file itself, or its {@code .part} while the run has not committed it. */
    public static Path readable(Path directory, String name) {
        Path file = directory.resolve(name);
        return Files.exists(file) ? file : AtomicFiles.partOf(file);
    }
}
