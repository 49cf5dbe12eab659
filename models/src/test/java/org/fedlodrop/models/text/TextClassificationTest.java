package org.fedlodrop.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.Partitions;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.family.transformer.Pretraining;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The text-classification path end to end at test size: pretrain a transformer on one domain of
 * synthetic reviews, then fine-tune LoRA (query, value) federated on the other domain; both learn.
 */
class TextClassificationTest {
    @Test
    void pretrainingLearnsTheSourceTaskAndFederatedLoraTransfersToTheTarget() throws Exception {
        SplittableRandom random = new SplittableRandom(4);
        LabelledText source = new SyntheticReviews("restaurants", 0.0).generate(600, random);
        LabelledText target = new SyntheticReviews("movies", 0.05).generate(200, random);
        LabelledText targetTest = new SyntheticReviews("movies", 0.0).generate(300, random);
        List<String> all = new ArrayList<>(source.texts());
        all.addAll(target.texts());
        Vocabulary vocabulary = Vocabulary.build(all, 200, 1);
        LabelSet labels = LabelSet.of(source.labels());
        Path nowhere = Path.of("generated");
        int length = 16;
        TransformerClassifier.Shape shape = new TransformerClassifier.Shape(vocabulary.size(), length, 32, 2, 4, 64, 2);
        TransformerClassifier base = new TransformerClassifier(shape,
                TransformerClassifier.Weights.random(shape, DataType.FLOAT, random),
                EnumSet.of(Projection.QUERY, Projection.VALUE), LoraLayer.scale(8, 4, false), DataType.FLOAT);
        Dataset sourceData = TextEncoding.encode(source, nowhere, vocabulary, labels, length, DataType.FLOAT);
        Pretraining.Result pretrained = Pretraining.train(base, sourceData, new Pretraining.Settings(8, 32, 5e-3, 0.0),
                random, (epoch, loss) -> { });
        long t0 = System.nanoTime();
        double[] losses = pretrained.epochLosses();
        assertThat(losses[losses.length - 1]).isLessThan(0.5 * losses[0]);

        TransformerClassifier model = new TransformerClassifier(shape, pretrained.weights(), base.adapted(),
                LoraLayer.scale(8, 4, false), DataType.FLOAT);
        Dataset train = TextEncoding.encode(target, nowhere, vocabulary, labels, length, DataType.FLOAT);
        Dataset test = TextEncoding.encode(targetTest, nowhere, vocabulary, labels, length, DataType.FLOAT);
        List<Dataset> local = new ArrayList<>();
        for (int[] part : Partitions.iid(train.size(), 5, random)) {
            local.add(train.select(part));
        }
        FederatedRounds rounds = new FederatedRounds(model, model.initialAdapter(4, random), AggregationMode.MASKED_MEAN,
                MaskMode.EXACT, new LocalTrainer.Settings(2, 8, 2e-2, LocalTrainer.Optimizer.ADAMW, 0));
        double before = rounds.evaluate(local, test).testAccuracy();
        for (int r = 0; r < 5; r++) {
            rounds.round(local, new double[] {0.3, 0.3, 0.3, 0.3, 0.3}, random,
                    List.of(random.split(), random.split(), random.split(), random.split(), random.split()));
        }
        FederatedRounds.Metrics after = rounds.evaluate(local, test);
        System.out.printf("fine-tuning %.1f s; pretraining losses %s; target accuracy %.3f -> %.3f, test loss %.3f%n",
                (System.nanoTime() - t0) / 1e9, java.util.Arrays.toString(losses), before, after.testAccuracy(), after.testLoss());
        assertThat(after.testAccuracy()).isGreaterThan(before + 0.15);
        // Each dataset evaluated on a thread of its own, summed in device order: the very same doubles.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            assertThat(rounds.evaluate(local, test, threads)).isEqualTo(after);
        } finally {
            threads.shutdownNow();
        }
    }
}
