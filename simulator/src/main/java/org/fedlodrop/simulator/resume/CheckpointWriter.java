package org.fedlodrop.simulator.resume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedlodrop.reports.io.RunSummaryBuilder;
import org.fedlodrop.reports.records.ResumePoint;

/**
 * Writes a run's checkpoints on a thread of its own, one after the other, while the run goes on: forcing the
 * record files and the checkpoint to the disk is waiting on the disk (some 2 ms a file on the reference VM),
 * which the run need not wait for. The record files' lengths are taken before, on the recorder's thread, so
 * that a checkpoint counts exactly the records before its point; what is appended meanwhile lies beyond them.
 * A failed checkpoint is reported at the next one or at {@link #finish}.
 */
public final class CheckpointWriter implements AutoCloseable {
    private final Path runDirectory;
    private ExecutorService thread;
    private Future<?> last;
    private int written;
    private long nanos;

    public CheckpointWriter(Path runDirectory) {
        this.runDirectory = runDirectory;
    }

    /** Queues the checkpoint of {@code point}; the record files hold {@code lengths} bytes of the run up to it. */
    public void submit(ResumePoint point, Map<String, Long> lengths, RunSummaryBuilder.State summary) throws IOException {
        awaitLast();
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, "fedlodrop-checkpoints");
                t.setDaemon(true);
                return t;
            });
        }
        last = thread.submit(() -> {
            long start = System.nanoTime();
            Checkpoints.write(runDirectory, point, lengths, summary);
            nanos += System.nanoTime() - start;
            written++;
            return null;
        });
    }

    /** Waits for the checkpoints queued; throws the failure of one that failed. */
    public void finish() throws IOException {
        awaitLast();
    }

    /** Checkpoints written so far (after {@link #finish}: all of them). */
    public int written() {
        return written;
    }

    /** Seconds the checkpoint thread spent writing them. */
    public double seconds() {
        return nanos / 1e9;
    }

    private void awaitLast() throws IOException {
        if (last == null) {
            return;
        }
        try {
            last.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while a checkpoint was written", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        } finally {
            last = null;
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
