package org.fedlodrop.models.train;

import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.net.TransformerClassifier;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What runs a device's local training. ND4J makes one native call per array operation, tens of µs
 * each, which rules small models; {@link #JAVA} trains the {@code mlp} and {@code transformer} families
 * in plain float32 loops ({@link DenseTraining}) with no per-operation cost and vectorised by the JIT, but
 * without a BLAS's cache blocking, so it wins on narrow layers and loses on wide ones. {@link #AUTO} picks
 * by that (docs/benchmarks/train.txt).
 */
public enum TrainingEngine {
    /** {@link #JAVA} for a float32 model no wider than {@link #JAVA_MLP_WIDEST} / {@link #JAVA_TRANSFORMER_WIDEST}, else {@link #ND4J}. */
    AUTO,
    /** ND4J array operations (every family). */
    ND4J,
    /** Plain float32 Java loops (the {@code mlp} and {@code transformer} families in float32). */
    JAVA;

    /**
     * The widest mlp layer (inputs or outputs) for which {@link #AUTO} picks {@link #JAVA}. Measured on the
     * 2-core reference machine, one device, 4 layers, rank 8, batch 32, samples/s java against nd4j: 128
     * wide 39,110 against 3,902; 512 wide 5,506 against 2,313; 1,024 wide 1,677 against 1,198. Wider, the
     * BLAS's blocking should win; not measured.
     */
    public static final int JAVA_MLP_WIDEST = 1024;

    /**
     * The widest transformer (model width) for which {@link #AUTO} picks {@link #JAVA}, measured likewise
     * (2 blocks, MLP twice as wide, 16 tokens, batch 10): 128 wide 638 against 335 samples/s; 256 wide 161
     * against 279.
     */
    public static final int JAVA_TRANSFORMER_WIDEST = 128;

    /** Whether {@link #JAVA} can train this model: a float32 {@code mlp} or {@code transformer}. */
    public static boolean javaTrains(Classifier model) {
        return javaTrains(model.family(), model.dataType());
    }

    private static boolean javaTrains(String family, DataType dataType) {
        return (family.equals("mlp") || family.equals("transformer")) && dataType == DataType.FLOAT;
    }

    /** The engine that trains {@code model}: never {@link #AUTO}. */
    public TrainingEngine resolve(Classifier model) {
        int width;
        if (model instanceof TransformerClassifier transformer) {
            width = transformer.shape().width();
        } else {
            width = 0;
            for (LoraLayer layer : model.layers()) {
                width = Math.max(width, Math.max(layer.rows(), layer.columns()));
            }
        }
        return resolve(model.family(), width, model.dataType());
    }

    /**
     * The engine that trains a model of this family ({@code mlp}, {@code transformer}, {@code bert}) and
     * width (an mlp's widest layer, a transformer's model width) in this precision: never {@link #AUTO}.
     */
    public TrainingEngine resolve(String family, int width, DataType dataType) {
        return switch (this) {
            case ND4J -> ND4J;
            case JAVA -> {
                if (!javaTrains(family, dataType)) {
                    throw new IllegalArgumentException("the java training engine trains float32 mlp and transformer "
                            + "models only, not a " + dataType + " " + family + " model");
                }
                yield JAVA;
            }
            case AUTO -> javaTrains(family, dataType)
                    && width <= (family.equals("mlp") ? JAVA_MLP_WIDEST : JAVA_TRANSFORMER_WIDEST) ? JAVA : ND4J;
        };
    }
}
