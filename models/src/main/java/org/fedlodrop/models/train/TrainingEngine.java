package org.fedlodrop.models.train;

import org.fedlodrop.models.net.Classifier;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What runs a device's local training. ND4J makes one native call per array operation, tens of µs
 * each, which rules small models; {@link #JAVA} trains every family in float32 with its element-wise
 * work in Java loops and its matrix products in OpenBLAS called directly ({@link DenseTraining},
 * {@link BlasWorkspace}), so it pays nothing per operation and runs wide layers at the library's rate.
 * {@link #AUTO} picks it wherever it can train the model: it was the faster at every size measured
 * (docs/benchmarks/train.txt, and on the 2-core reference machine, one device, samples/s java against
 * nd4j: mlp of four 1,024-wide layers 1,975 against 1,294, 2,048-wide 966 against 673; 2-block
 * transformers over 16 tokens 256 wide 650 against 305, 512 wide 289 against 113, 1,024 wide 75 against
 * 53; a MiniLM-shaped bert, 6 blocks of 384 over 64 tokens, 24 against 12–16).
 */
public enum TrainingEngine {
    /** {@link #JAVA} for a float32 model, else {@link #ND4J}. */
    AUTO,
    /** ND4J array operations (every family). */
    ND4J,
    /** Java loops and direct OpenBLAS products (every family, in float32). */
    JAVA;

    /** Whether {@link #JAVA} can train this model: a float32 model of a family that gives its dense form. */
    public static boolean javaTrains(Classifier model) {
        return model instanceof DenseTrainable && model.dataType() == DataType.FLOAT;
    }

    /** The engine that trains {@code model}: never {@link #AUTO}. */
    public TrainingEngine resolve(Classifier model) {
        String what = model instanceof DenseTrainable
                ? "float32 models only, not a " + model.dataType() + " " + model.family() + " model"
                : "no model of the " + model.family() + " family";
        return resolve(javaTrains(model), what);
    }

    /**
     * The engine that trains a model the java engine can or cannot train ({@code javaTrains}), before it is
     * built: never {@link #AUTO}; {@code what} ends the refusal of {@link #JAVA} where it cannot.
     */
    public TrainingEngine resolve(boolean javaTrains, String what) {
        return switch (this) {
            case ND4J -> ND4J;
            case JAVA -> {
                if (!javaTrains) {
                    throw new IllegalArgumentException("the java training engine trains " + what);
                }
                yield JAVA;
            }
            case AUTO -> javaTrains ? JAVA : ND4J;
        };
    }
}
