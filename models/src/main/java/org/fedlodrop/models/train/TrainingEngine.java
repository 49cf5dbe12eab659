package org.fedlodrop.models.train;

import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.net.MlpClassifier;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What runs a device's local training. ND4J makes one native call per array operation, tens of µs
 * each, which rules small models; {@link #JAVA} trains the {@code mlp} family in plain float32 loops
 * ({@link DenseMlpTraining}) with no per-operation cost but no SIMD BLAS either, so it wins on narrow
 * layers and loses on wide ones. {@link #AUTO} picks by that (docs/benchmarks/train.txt).
 */
public enum TrainingEngine {
    /** {@link #JAVA} for a float32 {@code mlp} whose layers are at most {@link #JAVA_WIDEST} wide, else {@link #ND4J}. */
    AUTO,
    /** ND4J array operations (every family). */
    ND4J,
    /** Plain float32 Java loops (the {@code mlp} family in float32 only). */
    JAVA;

    /**
     * The widest layer (inputs or outputs) for which {@link #AUTO} picks {@link #JAVA}: measured with
     * {@code fedlodrop bench train}, plain loops beat ND4J up to here on the 2-core reference machine.
     */
    public static final int JAVA_WIDEST = 256;

    /** Whether {@link #JAVA} can train this model: a float32 {@code mlp}. */
    public static boolean javaTrains(Classifier model) {
        return model instanceof MlpClassifier && model.dataType() == DataType.FLOAT;
    }

    /** The engine that trains {@code model}: never {@link #AUTO}. */
    public TrainingEngine resolve(Classifier model) {
        return switch (this) {
            case ND4J -> ND4J;
            case JAVA -> {
                if (!javaTrains(model)) {
                    throw new IllegalArgumentException("the java training engine trains float32 mlp models only, not a "
                            + model.dataType() + " " + model.family() + " model");
                }
                yield JAVA;
            }
            case AUTO -> javaTrains(model) && widest(model) <= JAVA_WIDEST ? JAVA : ND4J;
        };
    }

    private static int widest(Classifier model) {
        int widest = 0;
        for (LoraLayer layer : model.layers()) {
            widest = Math.max(widest, Math.max(layer.rows(), layer.columns()));
        }
        return widest;
    }
}
