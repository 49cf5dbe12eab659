package org.fedlodrop.simulator.resume;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.reports.io.DirectoryTrees;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.reports.records.ResumePoint;
import org.fedlodrop.simulator.kernel.FailPoint;
import org.fedlodrop.simulator.scenario.LoadedScenario;

/**
 * A run directory's checkpoints, {@code checkpoints/round-NNNNNN/} (the first round a resumed run runs):
 * {@code learning.safetensors} (the global model's tensors, bit for bit) and {@code state.json} (the record
 * files' lengths, the devices' training stream positions, the summary so far, and the tensors' SHA-256).
 * Each is written into a hidden directory, forced to the disk and renamed into place, so that a checkpoint
 * either is whole or is not there; only the last two are kept. Reading checks every checkpoint newest first
 * and takes the first whole one, saying which it passed over and why.
 */
public final class Checkpoints {
    public static final String DIRECTORY = "checkpoints";
    static final String STATE = "state.json";
    static final String LEARNING = "learning.safetensors";
    static final String FORMAT = "fedlodrop-checkpoint-1";
    private static final int KEEP = 2;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Checkpoints() {
    }

    /** {@code state.json}. */
    record State(String format, int round, @JsonProperty("learning_sha256") String learningSha256,
                 Map<String, Long> files, long[] trainingStreams, RunSummaryBuilder.State summary) {
    }

    /** A checkpoint that was found and could be used, and what was passed over to reach it. */
    public record Found(Optional<Resume> resume, List<String> passedOver) {
    }

    /** Thrown when checkpoints exist but none can be used: the run cannot be resumed as it was. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message);
        }
    }

    /**
     * Writes the checkpoint of {@code point} for a run whose record files held {@code lengths} bytes at the point
     * (flushed to the operating system by the caller; forced to the disk here), then removes all but the last two.
     */
    public static Path write(Path runDirectory, ResumePoint point, Map<String, Long> lengths,
                             RunSummaryBuilder.State summary) throws IOException {
        for (String file : lengths.keySet()) {
            // What the checkpoint counts must be on the disk before the checkpoint is.
            try (FileChannel channel = FileChannel.open(AtomicFiles.partOf(runDirectory.resolve(file)),
                    StandardOpenOption.WRITE)) {
                channel.force(false);
            }
        }
        Path root = runDirectory.resolve(DIRECTORY);
        Files.createDirectories(root);
        String name = name(point.round());
        Path partial = root.resolve("." + name + ".partial");
        if (Files.exists(partial)) {
            DirectoryTrees.delete(partial);
        }
        Files.createDirectories(partial);
        byte[] learning = SafeTensors.encodeState(point.learning(), Map.of("format", FORMAT,
                "round", Integer.toString(point.round())));
        writeForced(partial.resolve(LEARNING), learning);
        FailPoint.reach("checkpoint", point.round());
        State state = new State(FORMAT, point.round(), LoadedScenario.sha256(learning), lengths,
                point.trainingStreams(), summary);
        writeForced(partial.resolve(STATE), JSON.writeValueAsBytes(state));
        force(partial);
        Path target = root.resolve(name);
        if (Files.exists(target)) {
            // A resumed run writes again the checkpoint it passed over.
            DirectoryTrees.delete(target);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        force(root);
        FailPoint.reach("checkpoint-written", point.round());
        List<Path> all = list(root);
        for (int i = KEEP; i < all.size(); i++) {
            DirectoryTrees.delete(all.get(i));
        }
        return target;
    }

    /**
     * The newest whole checkpoint of the run directory, if any. Empty with nothing passed over: there are none.
     *
     * @throws Unusable when there are checkpoints and none is whole, naming each and what is wrong with it
     */
    public static Found newest(Path runDirectory, int devices) throws Unusable, IOException {
        Path root = runDirectory.resolve(DIRECTORY);
        if (!Files.isDirectory(root)) {
            return new Found(Optional.empty(), List.of());
        }
        List<String> passedOver = new ArrayList<>();
        for (Path checkpoint : list(root)) {
            try {
                return new Found(Optional.of(read(runDirectory, checkpoint, devices)), passedOver);
            } catch (IOException e) {
                passedOver.add(e.getMessage());
            }
        }
        if (passedOver.isEmpty()) {
            return new Found(Optional.empty(), List.of());
        }
        throw new Unusable("no checkpoint of " + runDirectory + " can be used: " + String.join("; ", passedOver));
    }

    /** Removes the checkpoints of a run that completed: its model.safetensors is the final model. */
    public static void removeAll(Path runDirectory) throws IOException {
        Path root = runDirectory.resolve(DIRECTORY);
        if (Files.isDirectory(root)) {
            DirectoryTrees.delete(root);
        }
    }

    private static Resume read(Path runDirectory, Path checkpoint, int devices) throws IOException {
        Path statePath = checkpoint.resolve(STATE);
        if (!Files.isRegularFile(statePath)) {
            throw new IOException(statePath + ": missing");
        }
        State state;
        try {
            state = JSON.readValue(statePath.toFile(), State.class);
        } catch (IOException e) {
            throw new IOException(statePath + ": not a checkpoint's state (" + firstLine(e.getMessage()) + ")");
        }
        if (!FORMAT.equals(state.format())) {
            throw new IOException(statePath + ": format: expected " + FORMAT + ", got " + state.format());
        }
        if (!checkpoint.getFileName().toString().equals(name(state.round()))) {
            throw new IOException(statePath + ": round: " + state.round() + " does not match the directory's name");
        }
        if (state.trainingStreams() == null || state.trainingStreams().length != devices) {
            throw new IOException(statePath + ": training_streams: expected one position per device (" + devices + ")");
        }
        if (state.files() == null || state.summary() == null || state.learningSha256() == null) {
            throw new IOException(statePath + ": expected files, summary and learning_sha256");
        }
        Path learningPath = checkpoint.resolve(LEARNING);
        if (!Files.isRegularFile(learningPath)) {
            throw new IOException(learningPath + ": missing");
        }
        byte[] learning = Files.readAllBytes(learningPath);
        if (!LoadedScenario.sha256(learning).equals(state.learningSha256())) {
            throw new IOException(learningPath + ": its SHA-256 is not the one state.json recorded (truncated or corrupt)");
        }
        for (Map.Entry<String, Long> file : state.files().entrySet()) {
            Path part = AtomicFiles.partOf(runDirectory.resolve(file.getKey()));
            long size = Files.isRegularFile(part) ? Files.size(part) : -1;
            if (size < file.getValue()) {
                throw new IOException(statePath + ": files." + file.getKey() + ": the checkpoint counted " + file.getValue()
                        + " bytes, but " + part + (size < 0 ? " is missing" : " holds " + size));
            }
        }
        var contents = SafeTensors.readState(learningPath.toString(), learning);
        return new Resume(state.round(), contents.tensors(), state.trainingStreams(), state.summary(), state.files(),
                checkpoint);
    }

    private static List<Path> list(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().matches("round-\\d{6,}") && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> Long.parseLong(p.getFileName().toString().substring(6)))
                            .reversed())
                    .toList();
        }
    }

    static String name(int round) {
        return String.format(java.util.Locale.ROOT, "round-%06d", round);
    }

    private static void writeForced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
    }

    /** Forces a directory's entries to the disk (Linux allows opening a directory to fsync it; others may not). */
    private static void force(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can force a directory; the rename is still atomic.
        }
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
