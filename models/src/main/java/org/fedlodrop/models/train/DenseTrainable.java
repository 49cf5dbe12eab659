package org.fedlodrop.models.train;

import java.util.List;
import org.fedlodrop.models.lora.LoraMask;

/**
 * A classifier that the {@link TrainingEngine#JAVA java engine} trains: it gives the dense forward and
 * backward ({@link DenseModel}) of a cohort's steps. A family that does not implement it trains on ND4J
 * only. Its float32 arithmetic is held within float32 rounding of the family's ND4J path in float64
 * ({@code DenseTrainingTest}).
 */
public interface DenseTrainable {
    /**
     * The dense model of a cohort whose member i trains under {@code masks.get(i)} (one mask per adapted
     * layer) at LoRA rank {@code rank}, its buffers in {@code workspace}.
     */
    DenseModel dense(List<List<LoraMask>> masks, int rank, BlasWorkspace workspace);
}
