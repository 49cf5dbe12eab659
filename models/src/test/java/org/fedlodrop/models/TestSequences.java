package org.fedlodrop.models;

import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random inputs for the training tests of the transformer families. */
public final class TestSequences {
    private TestSequences() {
    }

    /** {@code count} sequences of 1 to t random non-padding token ids, padded with 0, random labels (float64). */
    public static Dataset padded(TransformerClassifier.Shape shape, int count, SplittableRandom random) {
        return padded(shape, count, random, shape.maxLength());
    }

    /** As above, every sample at most {@code longest} tokens long, padded to the model's maximum length. */
    public static Dataset padded(TransformerClassifier.Shape shape, int count, SplittableRandom random, int longest) {
        double[][] tokens = new double[count][shape.maxLength()];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int length = 1 + random.nextInt(longest);
            for (int j = 0; j < length; j++) {
                tokens[i][j] = 1 + random.nextInt(shape.vocabulary() - 1);
            }
            labels[i] = random.nextInt(shape.classes());
        }
        return new Dataset(Nd4j.createFromArray(tokens), labels);
    }

    /** An array shaped and typed like {@code like}, of N(0, sd²) entries. */
    public static INDArray gaussian(INDArray like, double sd, SplittableRandom random) {
        double[] values = new double[(int) like.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(like.shape()).castTo(like.dataType());
    }
}
