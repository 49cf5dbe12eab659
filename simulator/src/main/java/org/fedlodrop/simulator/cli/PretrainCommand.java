package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.text.TextTableReader;
import org.fedlodrop.models.family.transformer.Pretraining;
import org.fedlodrop.models.family.transformer.BasePretraining;
import org.fedlodrop.simulator.run.BuildInfo;
import org.fedlodrop.simulator.run.UserInputException;
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
        List<LabelledText> more = new ArrayList<>();
        for (Path file : vocabularyFrom) {
            more.add(read(file, columns));
        }
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        BasePretraining.Outcome outcome;
        try {
            outcome = BasePretraining.train(source, train, more, new BasePretraining.Request(vocabularySize, maxLength, width,
                            blocks, heads, feedForward, new Pretraining.Settings(epochs, batchSize, learningRate, weightDecay),
                            seed), "fedlodrop " + BuildInfo.current().version(), out, (loss, epoch) -> {
                        if (!quiet) {
                            err.printf("pretrain: epoch %d/%d, training loss %.4f (%.0f s)%n", epoch + 1, epochs, loss,
                                    (System.nanoTime() - started) / 1e9);
                            err.flush();
                        }
                    });
        } catch (IllegalArgumentException | TextFileException e) {
            throw new UserInputException(e.getMessage());
        }
        spec.commandLine().getOut().printf("wrote %s: %d-token vocabulary, width %d, %d blocks, %d heads, max length %d;"
                        + " source %s (%d texts, %d classes): training loss %.4f, accuracy %.3f%n", out,
                outcome.vocabularySize(), width, blocks, heads, maxLength, train, outcome.texts(), outcome.classes(),
                outcome.finalLoss(), outcome.accuracy());
        return FedLoDrop.EXIT_OK;
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
