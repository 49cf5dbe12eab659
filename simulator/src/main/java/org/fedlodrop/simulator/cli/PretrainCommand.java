package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.net.TransformerClassifier;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextEncoding;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.text.TextTableReader;
import org.fedlodrop.models.text.Vocabulary;
import org.fedlodrop.models.train.Pretraining;
import org.fedlodrop.reports.io.DoubleSpelling;
import org.fedlodrop.simulator.learning.BaseCheckpointWriter;
import org.fedlodrop.simulator.run.BuildInfo;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a small transformer's whole base on a labelled source task and save it as a",
                "checkpoint (safetensors layout, docs/models.md) for model.checkpoint of a text-classification",
                "scenario. The tokenizer is built from the source texts and any --vocabulary-from files."})
final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Labelled source texts (.tsv, .csv, .jsonl).")
    Path train;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Checkpoint to write (.safetensors); must not exist.")
    Path out;

    @Option(names = "--text-column", defaultValue = "sentence", description = "Column (or JSON field) of the text (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "Column (or JSON field) of the label (default ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--no-header", description = "The files have no header row; columns are 0-based numbers.")
    boolean noHeader;

    @Option(names = "--vocabulary-from", paramLabel = "FILE",
            description = "More labelled text files whose words join the vocabulary (e.g. the target task's training file).")
    List<Path> vocabularyFrom = new ArrayList<>();

    @Option(names = "--vocabulary", defaultValue = "2000", description = "Largest vocabulary, padding and unknown included (default ${DEFAULT-VALUE}).")
    int vocabularySize;

    @Option(names = "--max-length", defaultValue = "16", description = "Tokens per text, padded or cut (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--width", defaultValue = "32", description = "Model width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--blocks", defaultValue = "2", description = "Transformer blocks (default ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads, a divisor of the width (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--feed-forward", defaultValue = "64", description = "MLP width (default ${DEFAULT-VALUE}).")
    int feedForward;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "5e-3", description = "AdamW learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW decoupled weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and batch order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        // One thread per operation: the checkpoint's bytes then do not depend on the machine's core count.
        org.fedlodrop.models.net.OperationThreads.pinToOne();
        TextTableReader.Columns columns = new TextTableReader.Columns(textColumn, labelColumn, !noHeader);
        LabelledText source = read(train, columns);
        List<String> corpus = new ArrayList<>(source.texts());
        for (Path file : vocabularyFrom) {
            corpus.addAll(read(file, columns).texts());
        }
        Vocabulary vocabulary = Vocabulary.build(corpus, vocabularySize, 1);
        LabelSet labels = LabelSet.of(source.labels());
        if (labels.size() < 2) {
            throw new UserInputException(train + ": expected at least 2 distinct labels, got " + labels.names());
        }
        TransformerClassifier.Shape shape = new TransformerClassifier.Shape(vocabulary.size(), maxLength, width, blocks,
                heads, feedForward, labels.size());
        SplittableRandom random = new SplittableRandom(seed);
        TransformerClassifier model = new TransformerClassifier(shape,
                TransformerClassifier.Weights.random(shape, DataType.FLOAT, random),
                EnumSet.of(TransformerClassifier.Projection.QUERY), 1, DataType.FLOAT);
        Dataset data = TextEncoding.encode(source, train, vocabulary, labels, maxLength, DataType.FLOAT);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter console = spec.commandLine().getOut();
        long started = System.nanoTime();
        Pretraining.Result result = Pretraining.train(model, data,
                new Pretraining.Settings(epochs, batchSize, learningRate, weightDecay), random, (epoch, loss) -> {
                    if (!quiet) {
                        err.printf("pretrain: epoch %d/%d, training loss %.4f (%.0f s)%n", epoch + 1, epochs, loss,
                                (System.nanoTime() - started) / 1e9);
                        err.flush();
                    }
                });
        TransformerClassifier trained = new TransformerClassifier(shape, result.weights(), model.adapted(), 1, DataType.FLOAT);
        org.fedlodrop.models.net.Adapter head = new org.fedlodrop.models.net.Adapter(List.of(), List.of(),
                result.headWeights(), result.headBias());
        double accuracy = headAccuracy(trained, head, data);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source_file", train.getFileName().toString());
        provenance.put("source_sha256", LoadedScenario.sha256(Files.readAllBytes(train)));
        provenance.put("source_labels", labels.names().toString());
        provenance.put("epochs", Integer.toString(epochs));
        provenance.put("final_training_loss", DoubleSpelling.of(result.epochLosses()[epochs - 1]));
        provenance.put("training_accuracy", DoubleSpelling.of(accuracy));
        provenance.put("seed", Long.toString(seed));
        provenance.put("tool", "fedlodrop " + BuildInfo.current().version());
        BaseCheckpointWriter.write(out, trained, result.headWeights(), result.headBias(), vocabulary, provenance);
        console.printf("wrote %s: %d-token vocabulary, width %d, %d blocks, %d heads, max length %d; source %s (%d texts, "
                        + "%d classes): training loss %.4f, accuracy %.3f%n", out, vocabulary.size(), width, blocks,
                heads, maxLength, train, source.size(), labels.size(), result.epochLosses()[epochs - 1], accuracy);
        return FedLoDrop.EXIT_OK;
    }

    private static double headAccuracy(TransformerClassifier model, org.fedlodrop.models.net.Adapter head, Dataset data) {
        // Only the head is set; the pretrained base needs no LoRA, so evaluate with zero factors.
        List<org.nd4j.linalg.api.ndarray.INDArray> a = new ArrayList<>();
        List<org.nd4j.linalg.api.ndarray.INDArray> b = new ArrayList<>();
        for (var layer : model.layers()) {
            a.add(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 1, layer.columns()));
            b.add(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, layer.rows(), 1));
        }
        var adapter = new org.fedlodrop.models.net.Adapter(a, b, head.headWeights(), head.headBias());
        var masks = model.layers().stream().map(l -> org.fedlodrop.models.lora.LoraMask.full(l.rows(), l.columns())).toList();
        return model.accuracy(adapter, masks, data.features(), data.labels());
    }

    private void checkOptions() throws UserInputException {
        if (Files.exists(out)) {
            throw new UserInputException("--out " + out + ": the file exists; choose a new one so nothing is overwritten");
        }
        if (out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new UserInputException("--out " + out + ": no such directory " + out.toAbsolutePath().getParent());
        }
        positive("--vocabulary", vocabularySize, 3, 10_000_000);
        positive("--max-length", maxLength, 1, 4096);
        positive("--width", width, 1, 8192);
        positive("--blocks", blocks, 1, 64);
        positive("--heads", heads, 1, 256);
        if (width % heads != 0) {
            throw new UserInputException("--heads " + heads + ": expected a divisor of --width " + width);
        }
        positive("--feed-forward", feedForward, 1, 65_536);
        positive("--epochs", epochs, 1, 100_000);
        positive("--batch-size", batchSize, 1, 1_000_000);
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new UserInputException("--learning-rate " + learningRate + ": expected a number in (0, 10]");
        }
        if (!(weightDecay >= 0 && weightDecay <= 10)) {
            throw new UserInputException("--weight-decay " + weightDecay + ": expected a number in [0, 10]");
        }
    }

    private static void positive(String option, int value, int min, int max) throws UserInputException {
        if (value < min || value > max) {
            throw new UserInputException(option + " " + value + ": expected an integer from " + min + " to " + max);
        }
    }

    private static LabelledText read(Path file, TextTableReader.Columns columns) throws UserInputException {
        try {
            return TextTableReader.read(file, columns);
        } catch (TextFileException e) {
            throw new UserInputException(e.getMessage());
        }
    }
}
