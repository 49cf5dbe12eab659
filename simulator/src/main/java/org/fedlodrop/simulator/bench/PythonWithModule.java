package org.fedlodrop.simulator.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the python3 that a benchmark's comparison script needs: the first of {@code FEDLODROP_PYTHON}
 * (if set), Debian's /usr/bin/python3 (a python3 on PATH may be a pyenv shim without Debian's
 * packages) and python3 on PATH that runs the given import.
 */
final class PythonWithModule {
    private PythonWithModule() {
    }

    static Optional<String> find(String importStatement) {
        List<String> candidates = new ArrayList<>();
        String chosen = System.getenv("FEDLODROP_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String python : candidates) {
            try {
                Process process = new ProcessBuilder(python, "-c", importStatement).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return Optional.of(python);
                }
                process.destroyForcibly();
            } catch (IOException e) {
                // not there: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
