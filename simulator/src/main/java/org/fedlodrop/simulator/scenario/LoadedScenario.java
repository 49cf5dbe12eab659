package org.fedlodrop.simulator.scenario;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A validated scenario with the bytes it was read from, for the run's provenance. */
public record LoadedScenario(Scenario scenario, String source, byte[] sourceBytes) {
    public String sourceSha256() {
        return sha256(sourceBytes);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
