package org.fedlodrop.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.simulator.study.StudyJournal;

/** Run and study directories compared file by file, as the determinism tests need them. */
public final class RunDirectories {
    private RunDirectories() {
    }

    /** Every file of a run or study directory but the manifests (wall-clock times, the JDK) and a study's journal (finishing order). */
    public static Map<String, byte[]> files(Path directory) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = directory.relativize(path).toString();
                if (!name.endsWith(RunFiles.MANIFEST) && !name.equals(StudyJournal.FILE)) {
                    files.put(name, Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    /** The same files with the same bytes, but for what {@link #files} leaves out. */
    public static void assertSameFiles(Path actual, Path expected) throws IOException {
        Map<String, byte[]> a = files(actual);
        Map<String, byte[]> b = files(expected);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        for (String name : b.keySet()) {
            assertThat(java.util.Arrays.equals(a.get(name), b.get(name))).as(name + " differs").isTrue();
        }
    }
}
