package org.fedlodrop.simulator.resume;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.fedlodrop.reports.io.RecordStream;
import org.fedlodrop.reports.records.EventRecord;

/**
 * The events of a resumed run's replayed rounds, spelt as {@code events.jsonl} spells them but only hashed:
 * the replay recomputes everything but learning, and events hold no learning result, so they must be the
 * very bytes the run wrote before its checkpoint. If they are not, the scenario, its data or the build is
 * not the run's, and resuming would silently give another run.
 */
public final class ReplayedEvents {
    private final MessageDigest digest = sha256();
    private final Counting counted = new Counting(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
    private final RecordStream<EventRecord> lines;

    public ReplayedEvents() {
        try {
            lines = RecordStream.jsonLines(counted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void add(EventRecord event) {
        lines.append(event);
    }

    /** Null when the first {@code length} bytes of {@code file} are what was added; else how they differ. */
    public String differenceFrom(Path file, long length) {
        lines.flush();
        if (counted.bytes != length) {
            return "the replay wrote " + counted.bytes + " bytes of events where " + file + " holds " + length
                    + " before the checkpoint";
        }
        MessageDigest written = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return file + " ends before the " + length + " bytes its checkpoint counted";
                }
                written.update(buffer, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            return "cannot read " + file + " (" + e.getMessage() + ")";
        }
        return Arrays.equals(written.digest(), digest.digest()) ? null
                : "its events differ from the " + length + " bytes of " + file + " before the checkpoint";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static final class Counting extends java.io.FilterOutputStream {
        long bytes;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }
    }
}
