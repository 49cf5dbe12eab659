package org.fedlodrop.models.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CudaCompatibilityTest {

    /** nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader on a mixed machine. */
    private static final String MIXED = """
            0, NVIDIA A100-SXM4-80GB, 8.0
            1, NVIDIA H200, 9.0
            2, NVIDIA GeForce RTX 3090, 8.6
            """;

    @Test
    void parsesNvidiaSmiLinesAndSkipsOthers() {
        List<CudaCompatibility.Gpu> gpus = CudaCompatibility.parse(
                "WARNING: infoROM is corrupted at gpu 0000:01:00.0\n" + MIXED);
        assertEquals(List.of(new CudaCompatibility.Gpu(0, "NVIDIA A100-SXM4-80GB", "8.0"),
                new CudaCompatibility.Gpu(1, "NVIDIA H200", "9.0"),
                new CudaCompatibility.Gpu(2, "NVIDIA GeForce RTX 3090", "8.6")), gpus);
    }

    @Test
    void hopperIsRefusedWithTheReasonAndTheWayOut() {
        Optional<String> problem = CudaCompatibility.problem(CudaCompatibility.parse(MIXED), null);
        assertTrue(problem.isPresent());
        String message = problem.get();
        assertTrue(message.startsWith("GPU 1 (NVIDIA H200, compute capability 9.0)"), message);
        assertTrue(message.contains("3.7 to 8.6") && message.contains("no PTX") && message.contains("without -Pcuda"), message);
        assertFalse(message.contains("GPU 0") || message.contains("GPU 2"), message);
    }

    @Test
    void onlyTheGpusCudaWillUseCount() {
        List<CudaCompatibility.Gpu> gpus = CudaCompatibility.parse(MIXED);
        assertTrue(CudaCompatibility.problem(gpus, "0,2").isEmpty());
        assertTrue(CudaCompatibility.problem(gpus, "2, 1").isPresent());
        // Named by UUID: which index that is cannot be told, so every GPU counts.
        assertTrue(CudaCompatibility.problem(gpus, "GPU-8f6e1a2b").isPresent());
    }

    @Test
    void amperePassesAndUnreadableCapabilitiesAreNotRefused() {
        assertTrue(CudaCompatibility.problem(CudaCompatibility.parse("0, NVIDIA A10, 8.6\n1, Tesla V100, 7.0"), null).isEmpty());
        assertTrue(CudaCompatibility.problem(CudaCompatibility.parse("0, Some GPU, [N/A]"), null).isEmpty());
        assertTrue(CudaCompatibility.problem(List.of(), null).isEmpty());
    }

    @Test
    void theCpuBuildNeverAsks() {
        // The test class path is the CPU build's: no cuda backend, so nothing can be refused here.
        assertFalse(CudaCompatibility.cudaBackendPresent());
        assertTrue(CudaCompatibility.problem().isEmpty());
    }
}
