package org.fedlodrop.simulator.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.fedlodrop.reports.io.RunFormats;
import org.fedlodrop.reports.study.JournalEntry;

/**
 * {@code journal.jsonl}: one line per finished run with its metrics, appended and forced to disk
 * before the run counts as done, so a study killed at any moment loses nothing finished and
 * {@code --resume} skips what it holds.
 */
public final class StudyJournal {
    public static final String FILE = "journal.jsonl";

    private final Path file;
    private final ObjectMapper json = RunFormats.jsonLines();

    public StudyJournal(Path studyDirectory) {
        this.file = studyDirectory.resolve(FILE);
    }

    /** Appends a finished run and forces it to disk. */
    public synchronized void append(JournalEntry entry) throws IOException {
        byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line));
            channel.force(true);
        }
    }

    /** Finished runs by directory name; a last line cut off by a kill is ignored (that run is redone). */
    public Map<String, JournalEntry> read() throws IOException {
        Map<String, JournalEntry> entries = new TreeMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.endsWith("}")) {
                continue;
            }
            try {
                JournalEntry entry = json.readValue(line, JournalEntry.class);
                entries.putIfAbsent(entry.directoryName(), entry);
            } catch (IOException e) {
                // a torn line: its run is not counted as done
            }
        }
        return entries;
    }
}
