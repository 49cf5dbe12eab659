package org.fedlodrop.simulator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunRecordWriter;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.io.Sha256;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.simulator.run.ScratchDirectory;

/**
 * A cost-only run's records read back from its events.jsonl, rounds.csv and devices.csv, to be written again
 * through the run's own {@link RunRecordWriter} on one thread: what the files cost to encode and write whatever
 * the kernel (issue 32). Events first, then rounds, then device rows: the order within each file is the run's,
 * and each file is written by its own stream, so the bytes are the run's ({@link #seconds()} checks that they
 * are). The run's writer also flushes after each round's record, which this one does not: a little cheaper.
 */
public final class FileRewrite {
    private static final String[] FILES = {RunFiles.EVENTS, RunFiles.ROUNDS, RunFiles.DEVICES};

    /** Per file of {@link #FILES}, the SHA-256 of the run's bytes (the run's directory may be gone by the rewrite). */
    private final List<String> digests;
    private final List<RunRecord> records;

    private FileRewrite(List<String> digests, List<RunRecord> records) {
        this.digests = List.copyOf(digests);
        this.records = List.copyOf(records);
    }

    /** Reads the records of a cost-only run directory (its three files must be there). */
    public static FileRewrite of(Path runDirectory) throws IOException {
        List<RunRecord> records = new ArrayList<>(RunTables.readJsonLines(runDirectory.resolve(RunFiles.EVENTS),
                EventRecord.class));
        records.addAll(RunTables.readCompleteCsv(runDirectory.resolve(RunFiles.ROUNDS), RoundRecord.class));
        records.addAll(RunTables.readCompleteCsv(runDirectory.resolve(RunFiles.DEVICES), DeviceRoundRecord.class));
        return new FileRewrite(digests(runDirectory), records);
    }

    public int records() {
        return records.size();
    }

    /**
     * Seconds to write every record again into a scratch directory, files committed; fails if any file's bytes
     * differ from the run's, since then the timing would not be of the run's encoding.
     */
    public double seconds() throws IOException {
        try (ScratchDirectory scratch = new ScratchDirectory("fedlodrop-rewrite")) {
            long start = System.nanoTime();
            try (RunRecordWriter writer = new RunRecordWriter(scratch.path())) {
                for (RunRecord record : records) {
                    writer.append(record);
                }
                writer.commit();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> again = digests(scratch.path());
            for (int i = 0; i < FILES.length; i++) {
                if (!again.get(i).equals(digests.get(i))) {
                    throw new IllegalStateException(FILES[i] + " written again from its records differs from the run's");
                }
            }
            return seconds;
        }
    }

    private static List<String> digests(Path directory) throws IOException {
        List<String> digests = new ArrayList<>();
        for (String file : FILES) {
            digests.add(Sha256.hex(Files.readAllBytes(directory.resolve(file))));
        }
        return digests;
    }
}
