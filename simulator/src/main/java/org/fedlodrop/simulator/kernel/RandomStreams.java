package org.fedlodrop.simulator.kernel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Independent random streams derived from (scenario seed, actor id, purpose). A stream depends on
 * its three names alone, so adding a device, an actor or a purpose never shifts the draws of
 * another, and no draw depends on which thread ran first.
 */
public record RandomStreams(long seed) {
    public SplittableRandom stream(String actorId, String purpose) {
        return new SplittableRandom(start(actorId, purpose));
    }

    /** The same draws as {@link #stream}, from a stream whose position a checkpoint can keep. */
    public ResumableStream resumable(String actorId, String purpose) {
        return new ResumableStream(start(actorId, purpose));
    }

    private long start(String actorId, String purpose) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(actorId.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] hash = digest.digest();
            long state = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                state = (state << 8) | (hash[i] & 0xff);
            }
            return state;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
