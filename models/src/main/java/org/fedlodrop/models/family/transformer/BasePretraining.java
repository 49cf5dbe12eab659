package org.fedlodrop.models.family.transformer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextEncoding;
import org.fedlodrop.models.text.Vocabulary;
import org.fedlodrop.reports.io.DoubleSpelling;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code fedlodrop pretrain}'s work: a small transformer's whole base trained on a labelled source task and saved
 * as a base checkpoint (docs/models.md), with its vocabulary built from the source texts and any others.
 */
public final class BasePretraining {
    private BasePretraining() {
    }

    /** The model's shape (the vocabulary's size and the classes come from the texts) and the training recipe. */
    public record Request(int vocabularySize, int maxLength, int width, int blocks, int heads, int feedForward,
                          Pretraining.Settings training, long seed) {
    }

    /** What was written. */
    public record Outcome(int vocabularySize, int texts, int classes, double finalLoss, double accuracy) {
    }

    /**
     * @param source     the labelled source texts, read from {@code sourceFile}
     * @param vocabulary more texts whose words join the vocabulary
     * @param tool       the tool and version the checkpoint names
     * @param progress   hears each epoch's (0-based) training loss
     */
    public static Outcome train(LabelledText source, Path sourceFile, List<LabelledText> vocabulary, Request request,
                                String tool, Path out, ObjIntConsumer<Double> progress)
            throws IOException, org.fedlodrop.models.text.TextFileException {
        List<String> corpus = new ArrayList<>(source.texts());
        vocabulary.forEach(texts -> corpus.addAll(texts.texts()));
        Vocabulary words = Vocabulary.build(corpus, request.vocabularySize(), 1);
        LabelSet labels = LabelSet.of(source.labels());
        if (labels.size() < 2) {
            throw new IllegalArgumentException(sourceFile + ": expected at least 2 distinct labels, got " + labels.names());
        }
        TransformerClassifier.Shape shape = new TransformerClassifier.Shape(words.size(), request.maxLength(),
                request.width(), request.blocks(), request.heads(), request.feedForward(), labels.size());
        SplittableRandom random = new SplittableRandom(request.seed());
        TransformerClassifier model = new TransformerClassifier(shape,
                TransformerClassifier.Weights.random(shape, DataType.FLOAT, random),
                EnumSet.of(TransformerClassifier.Projection.QUERY), 1, DataType.FLOAT);
        Dataset data = TextEncoding.encode(source, sourceFile, words, labels, request.maxLength(), DataType.FLOAT);
        Pretraining.Result result = Pretraining.train(model, data, request.training(), random,
                (epoch, loss) -> progress.accept(loss, epoch));
        TransformerClassifier trained = new TransformerClassifier(shape, result.weights(), model.adapted(), 1, DataType.FLOAT);
        double accuracy = headAccuracy(trained, result.headWeights(), result.headBias(), data);
        int epochs = request.training().epochs();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source_file", sourceFile.getFileName().toString());
        provenance.put("source_sha256", org.fedlodrop.reports.io.Sha256.hex(Files.readAllBytes(sourceFile)));
        provenance.put("source_labels", labels.names().toString());
        provenance.put("epochs", Integer.toString(epochs));
        provenance.put("final_training_loss", DoubleSpelling.of(result.epochLosses()[epochs - 1]));
        provenance.put("training_accuracy", DoubleSpelling.of(accuracy));
        provenance.put("seed", Long.toString(request.seed()));
        provenance.put("tool", tool);
        BaseCheckpointWriter.write(out, trained, result.headWeights(), result.headBias(), words, provenance);
        return new Outcome(words.size(), source.size(), labels.size(), result.epochLosses()[epochs - 1], accuracy);
    }

    /** The trained head's accuracy on the source texts; the pretrained base needs no LoRA, so its factors are zero. */
    private static double headAccuracy(TransformerClassifier model, INDArray headWeights, INDArray headBias, Dataset data) {
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (var layer : model.layers()) {
            a.add(Nd4j.zeros(DataType.FLOAT, 1, layer.columns()));
            b.add(Nd4j.zeros(DataType.FLOAT, layer.rows(), 1));
        }
        Adapter adapter = new Adapter(a, b, headWeights, headBias);
        List<LoraMask> masks = model.layers().stream().map(l -> LoraMask.full(l.rows(), l.columns())).toList();
        return model.accuracy(adapter, masks, data.features(), data.labels());
    }
}
