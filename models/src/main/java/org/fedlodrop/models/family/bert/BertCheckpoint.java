package org.fedlodrop.models.family.bert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.fedlodrop.api.SettingChecks;
import org.fedlodrop.models.family.FamilyInputException;

/**
 * The pretrained encoder of a {@code bert} scenario, read and checked when the scenario is loaded:
 * a built-in model by name ({@code minilm-l6}, from the class path), or an ONNX export of a
 * HuggingFace BertModel by path with its tokenizer.json ({@code model.tokenizer}) and
 * {@code model.heads}. Every problem names the file and the field.
 *
 * @param name      the built-in name, or the ONNX file's path
 * @param base      the weights of every block, before {@code model.layers} keeps the first ones
 * @param tokenizer the bytes of tokenizer.json
 */
public record BertCheckpoint(String name, PretrainedBert.Base base, byte[] tokenizer) {

    /** The built-in model when a bert scenario names no checkpoint. */
    public static final String DEFAULT = PretrainedBert.MINILM_L6.name();

    public BertCheckpoint {
        tokenizer = tokenizer.clone();
    }

    @Override
    public byte[] tokenizer() {
        return tokenizer.clone();
    }

    /** A tokenizer for sequences of {@code maxLength} tokens, longer texts cut as {@code truncation} says. */
    public WordPieceEncoder encoder(int maxLength, WordPieceEncoder.Truncation truncation) throws IOException {
        return WordPieceEncoder.open(new ByteArrayInputStream(tokenizer), maxLength, truncation);
    }

    /** Reads the named built-in model, or the ONNX file and tokenizer at these paths (already resolved). */
    static BertCheckpoint read(String checkpoint, Optional<Path> file, Optional<Path> tokenizerFile,
                               int heads) throws FamilyInputException {
        Optional<PretrainedBert> builtIn = PretrainedBert.find(checkpoint);
        if (builtIn.isPresent()) {
            try (InputStream in = builtIn.get().openTokenizer()) {
                byte[] tokenizer = in.readAllBytes();
                return new BertCheckpoint(checkpoint, builtIn.get().load(DataType.FLOAT), tokenizer);
            } catch (IOException | OnnxFormatException e) {
                throw problem("", "checkpoint", "the built-in model " + checkpoint + " cannot be read: "
                        + e.getMessage());
            }
        }
        if (file.isEmpty() || !file.get().getFileName().toString().endsWith(".onnx")) {
            throw problem("", "checkpoint", "expected a built-in model ("
                    + String.join(", ", PretrainedBert.all().stream().map(PretrainedBert::name).toList())
                    + ") or the path of an .onnx export of a BertModel, got " + SettingChecks.quoted(checkpoint));
        }
        if (tokenizerFile.isEmpty()) {
            throw problem("", "tokenizer", "an ONNX checkpoint needs the path of its tokenizer.json");
        }
        byte[] tokenizer = bytes(tokenizerFile.get(), "model.tokenizer");
        try (WordPieceEncoder ignored = WordPieceEncoder.open(new ByteArrayInputStream(tokenizer), 8)) {
            // opened once to check it
        } catch (IOException | RuntimeException e) {
            throw problem(tokenizerFile.get().toString(), "", e.getMessage() + " (model.tokenizer)");
        }
        try {
            PretrainedBert.Base base = PretrainedBert.read(OnnxInitializers.parse(bytes(file.get(), "model.checkpoint")),
                    heads, DataType.FLOAT);
            return new BertCheckpoint(file.get().toString(), base, tokenizer);
        } catch (OnnxFormatException e) {
            throw problem(file.get().toString(), "", e.getMessage() + " (model.checkpoint)");
        } catch (RuntimeException e) {
            throw problem(file.get().toString(), "", "cannot read the model: " + e.getMessage() + " (model.checkpoint)");
        }
    }

    private static byte[] bytes(Path file, String field) throws FamilyInputException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw problem(file.toString(), "", "no such file (" + field + ")");
        } catch (IOException e) {
            throw problem(file.toString(), "", "cannot read the file: " + e.getMessage() + " (" + field + ")");
        }
    }

    /** {@code source}: the file, or empty for the scenario; {@code field}: the model section's field, or empty. */
    private static FamilyInputException problem(String source, String field, String message) {
        return FamilyInputException.of(source, field, message);
    }
}
