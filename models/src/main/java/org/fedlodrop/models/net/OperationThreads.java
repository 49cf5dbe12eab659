package org.fedlodrop.models.net;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Pins ND4J's own operation threads (OpenMP and BLAS) to one. A simulation trains many small devices
 * in parallel on its own pool, so threads inside each operation only contend (measured: a text run
 * took 28 s with ND4J's default threads, 18.5 s with one); and the result of a floating-point
 * reduction split over threads depends on their number, which would make losses depend on the
 * machine's core count instead of only on the scenario and seed.
 */
public final class OperationThreads {
    private OperationThreads() {
    }

    /** Idempotent; call before the first training step. */
    public static void pinToOne() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }
}
