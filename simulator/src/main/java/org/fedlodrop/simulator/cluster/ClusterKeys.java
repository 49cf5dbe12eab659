package org.fedlodrop.simulator.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The key of one cluster (issue 35): one EC key pair with its self-signed certificate in a PKCS12 key store, and
 * the store's password, which every member of the cluster holds the same. Artery's mutual TLS then admits exactly
 * the members that hold this key: each side's certificate must be the one in its own store, which serves as both
 * key store and trust store. One directory of two files, copied to every machine, is the simplest thing a user
 * can carry: no certificate authority, no per-member certificates, nothing to keep in step but the copy.
 *
 * @param keyStore {@link #KEY_STORE} in the keys directory
 * @param password the store's and the key's password ({@link #PASSWORD})
 */
public record ClusterKeys(Path keyStore, String password) {
    /** The environment variable that names the keys directory when {@code --cluster-keys} does not. */
    public static final String ENVIRONMENT = "FEDLODROP_CLUSTER_KEYS";
    public static final String KEY_STORE = "cluster.p12";
    public static final String PASSWORD = "cluster.password";
    private static final String ALIAS = "fedlodrop-cluster";

    /** A keys directory a member cannot use: missing, incomplete, or not a key store this password opens. */
    public static final class KeysException extends Exception {
        public KeysException(String message) {
            super(message);
        }
    }

    /**
     * Makes a new cluster's key in {@code directory} (created if needed; refused if it already holds one), with
     * the JDK's keytool: an EC P-256 key pair and a certificate valid ten years.
     */
    public static ClusterKeys make(Path directory) throws IOException, KeysException, InterruptedException {
        Files.createDirectories(directory);
        Path store = directory.resolve(KEY_STORE);
        Path passwordFile = directory.resolve(PASSWORD);
        if (Files.exists(store) || Files.exists(passwordFile)) {
            throw new KeysException(directory + " already holds cluster keys; choose a new directory so that no"
                    + " cluster loses its key");
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=fedlodrop-cluster-" + HexFormat.of().formatHex(id), "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", "FEDLODROP_KEYTOOL_PASSWORD",
                "-keypass:env", "FEDLODROP_KEYTOOL_PASSWORD"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The password goes to keytool through its environment, never its command line (which ps shows).
        builder.environment().put("FEDLODROP_KEYTOOL_PASSWORD", password);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new KeysException("cannot run the JDK's keytool (" + keytool + "): " + e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new KeysException("keytool could not make the key: " + output.strip());
        }
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(store, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the user protects the directory
        }
        return read(directory);
    }

    /** The keys in {@code directory}, checked: both files there, and the password opens the store. */
    public static ClusterKeys read(Path directory) throws KeysException {
        Path store = directory.resolve(KEY_STORE);
        Path passwordFile = directory.resolve(PASSWORD);
        if (!Files.isDirectory(directory)) {
            throw new KeysException(directory + ": no such directory; make cluster keys with: fedlodrop cluster-keys --out "
                    + directory);
        }
        for (Path file : List.of(store, passwordFile)) {
            if (!Files.isRegularFile(file)) {
                throw new KeysException(directory + ": no " + file.getFileName() + " in it; expected the directory that"
                        + " fedlodrop cluster-keys made (copy it whole to every machine)");
            }
        }
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new KeysException(passwordFile + ": cannot read it: " + e.getMessage());
        }
        ClusterKeys keys = new ClusterKeys(store.toAbsolutePath(), password);
        keys.certificate();
        return keys;
    }

    /** The key store, opened with the password: key and trust store of the cluster's TLS. */
    public KeyStore open() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        }
    }

    /** The cluster's certificate; fails if the store cannot be opened with the password. */
    private Certificate certificate() throws KeysException {
        try {
            KeyStore store = open();
            Certificate certificate = store.getCertificate(ALIAS);
            if (certificate == null || !store.isKeyEntry(ALIAS)) {
                throw new KeysException(keyStore + ": holds no cluster key (alias " + ALIAS + ")");
            }
            return certificate;
        } catch (IOException | GeneralSecurityException e) {
            throw new KeysException(keyStore + ": cannot open it with " + PASSWORD + ": " + e.getMessage());
        }
    }

    /** The certificate's SHA-256 fingerprint, shortened: what the members compare, and logs show. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (KeysException | GeneralSecurityException e) {
            throw new IllegalStateException("the keys were checked when read: " + e.getMessage(), e);
        }
    }
}
