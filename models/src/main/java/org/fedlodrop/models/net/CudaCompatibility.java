package org.fedlodrop.models.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Whether ND4J's CUDA backend (the build's {@code cuda} profile) can run on this machine's GPUs,
 * asked before ND4J is first touched: on a GPU it has no kernels for, the backend fails natively
 * deep inside its first operation, not with a message.
 *
 * <p>Why a check of our own: the fat binary of {@code nd4j-cuda-11.6} 1.0.0-M2.1, ND4J's last
 * release, holds compiled kernels (SASS) for compute capabilities 3.7 to 8.6 and no PTX that a
 * newer driver could compile (measured from its {@code .nv_fatbin} section), so Hopper (9.0) and
 * newer GPUs cannot run it. ND4J itself does not check. The GPUs and their compute capabilities
 * come from {@code nvidia-smi}; where it is missing or answers nothing usable, nothing is refused
 * (the backend then reports what it finds itself).
 */
public final class CudaCompatibility {

    /** The highest compute capability, times ten, that nd4j-cuda-11.6 1.0.0-M2.1 has kernels for. */
    public static final int HIGHEST_SUPPORTED = 86;

    /** The class that the cuda profile's backend brings; present on the class path only in that build. */
    private static final String CUDA_BACKEND_CLASS = "org/nd4j/linalg/jcublas/JCublasBackend.class";

    private CudaCompatibility() {
    }

    /** One GPU as nvidia-smi lists it. */
    public record Gpu(int index, String name, String computeCapability) {
        /** Compute capability times ten (8.6 → 86), or -1 when it could not be read. */
        int capabilityTimesTen() {
            String[] parts = computeCapability.strip().split("\\.");
            try {
                int major = Integer.parseInt(parts[0]);
                int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                return major * 10 + minor;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /** True when this build carries ND4J's CUDA backend (built with {@code mvn -Pcuda}). */
    public static boolean cudaBackendPresent() {
        return CudaCompatibility.class.getClassLoader().getResource(CUDA_BACKEND_CLASS) != null;
    }

    /**
     * The reason the learning backend cannot run here, or empty when it can (always empty on the CPU
     * backend, and when nvidia-smi cannot be asked).
     */
    public static Optional<String> problem() {
        if (!cudaBackendPresent()) {
            return Optional.empty();
        }
        return nvidiaSmi().flatMap(listing -> problem(parse(listing), System.getenv("CUDA_VISIBLE_DEVICES")));
    }

    /**
     * The reason the GPUs that CUDA will use cannot run nd4j-cuda-11.6, or empty. Only the GPUs that
     * {@code CUDA_VISIBLE_DEVICES} names count when it names them by index.
     */
    public static Optional<String> problem(List<Gpu> gpus, String cudaVisibleDevices) {
        Set<Integer> visible = visibleIndices(cudaVisibleDevices);
        List<String> unsupported = new ArrayList<>();
        for (Gpu gpu : gpus) {
            if (visible != null && !visible.contains(gpu.index())) {
                continue;
            }
            if (gpu.capabilityTimesTen() > HIGHEST_SUPPORTED) {
                unsupported.add("GPU " + gpu.index() + " (" + gpu.name() + ", compute capability "
                        + gpu.computeCapability().strip() + ")");
            }
        }
        if (unsupported.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", unsupported) + " cannot run this build's learning backend: "
                + "nd4j-cuda-11.6 1.0.0-M2.1 (ND4J's last release) has kernels for compute capabilities "
                + "3.7 to 8.6 only and no PTX, so Hopper GPUs (H100, H200) and newer are not served. "
                + "Build with the CPU backend (mvn package, without -Pcuda), or hide the GPU with "
                + "CUDA_VISIBLE_DEVICES and use an older one.");
    }

    /**
     * GPUs from the output of {@code nvidia-smi --query-gpu=index,name,compute_cap
     * --format=csv,noheader}: one "index, name, capability" line each; lines of another shape are skipped.
     */
    public static List<Gpu> parse(String listing) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : listing.split("\\R")) {
            int first = line.indexOf(',');
            int last = line.lastIndexOf(',');
            if (first < 0 || last <= first) {
                continue;
            }
            try {
                int index = Integer.parseInt(line.substring(0, first).strip());
                gpus.add(new Gpu(index, line.substring(first + 1, last).strip(), line.substring(last + 1).strip()));
            } catch (NumberFormatException e) {
                // not a GPU line (a warning of nvidia-smi's, say)
            }
        }
        return gpus;
    }

    /** The indices CUDA_VISIBLE_DEVICES names, or null when it is unset or names GPUs otherwise (by UUID). */
    private static Set<Integer> visibleIndices(String cudaVisibleDevices) {
        if (cudaVisibleDevices == null) {
            return null;
        }
        Set<Integer> indices = new HashSet<>();
        for (String part : cudaVisibleDevices.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                indices.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return indices;
    }

    private static Optional<String> nvidiaSmi() {
        try {
            Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,compute_cap",
                    "--format=csv,noheader").redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
