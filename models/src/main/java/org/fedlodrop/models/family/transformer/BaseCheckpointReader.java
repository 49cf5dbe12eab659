package org.fedlodrop.models.family.transformer;

import org.fedlodrop.reports.records.Tensor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.models.text.Vocabulary;
import org.fedlodrop.reports.io.SafeTensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.fedlodrop.api.SettingChecks;
import org.fedlodrop.models.family.FamilyInputException;

/**
 * Reads {@code model.checkpoint}: a transformer base saved by {@code fedlodrop pretrain} in the
 * safetensors layout (tensor names in {@link TransformerClassifier#frozenTensors()}, shape and
 * vocabulary in the metadata; see docs/models.md). Every problem names the file and what was expected.
 */
public final class BaseCheckpointReader {
    public static final String FORMAT = "fedlodrop-transformer-base";
    private static final String FIELD = " (model.checkpoint)";

    private BaseCheckpointReader() {
    }

    public static PretrainedBase read(Path file) throws FamilyInputException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw problem(source, "no such checkpoint file" + FIELD + "; make one with fedlodrop pretrain");
        }
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(file);
        } catch (IOException | RuntimeException e) {
            throw problem(source, "not a readable safetensors file: " + e.getMessage() + FIELD);
        }
        Map<String, String> metadata = contents.metadata();
        if (!FORMAT.equals(metadata.get("format"))) {
            throw problem(source, "expected a transformer base from fedlodrop pretrain (metadata format "
                    + FORMAT + "), got format " + SettingChecks.quoted(String.valueOf(metadata.get("format"))) + FIELD);
        }
        TransformerClassifier.Shape shape;
        List<String> tokens;
        try {
            tokens = new ObjectMapper().readValue(metadata.getOrDefault("vocabulary", ""), new TypeReference<List<String>>() { });
            shape = new TransformerClassifier.Shape(tokens.size(), integer(metadata, "max_length"),
                    integer(metadata, "width"), integer(metadata, "blocks"), integer(metadata, "heads"),
                    integer(metadata, "feed_forward"), integer(metadata, "classes"));
        } catch (IOException | RuntimeException e) {
            throw problem(source, "metadata does not describe a transformer: " + e.getMessage() + FIELD);
        }
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.of(tokens);
        } catch (IllegalArgumentException e) {
            throw problem(source, "metadata vocabulary: " + e.getMessage() + FIELD);
        }
        INDArray embeddings = tensor(source, contents, "embeddings.tokens", shape.vocabulary(), shape.width());
        INDArray positions = tensor(source, contents, "embeddings.positions", shape.maxLength(), shape.width());
        List<List<INDArray>> blocks = new ArrayList<>();
        for (int b = 0; b < shape.blocks(); b++) {
            List<INDArray> block = new ArrayList<>();
            for (Projection p : Projection.values()) {
                block.add(tensor(source, contents, TransformerClassifier.name(b, p) + ".weight", shape.rows(p), shape.columns(p)));
            }
            blocks.add(block);
        }
        return new PretrainedBase(shape, new TransformerClassifier.Weights(embeddings, positions, blocks), vocabulary, metadata);
    }

    private static int integer(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null || !value.matches("\\d{1,9}") || Integer.parseInt(value) < 1) {
            throw new IllegalArgumentException("expected a positive integer \"" + key + "\", got " + value);
        }
        return Integer.parseInt(value);
    }

    private static INDArray tensor(String source, SafeTensors.Contents contents, String name, int rows, int columns)
            throws FamilyInputException {
        Tensor tensor = contents.tensors().get(name);
        if (tensor == null) {
            throw problem(source, "no tensor " + name + FIELD);
        }
        if (tensor.shape().length != 2 || tensor.shape()[0] != rows || tensor.shape()[1] != columns) {
            throw problem(source, "tensor " + name + " has shape " + java.util.Arrays.toString(tensor.shape())
                    + ", expected [" + rows + ", " + columns + "]" + FIELD);
        }
        return Nd4j.createFromArray(tensor.data()).reshape(rows, columns).castTo(DataType.FLOAT);
    }

    private static FamilyInputException problem(String source, String message) {
        return FamilyInputException.of(source, "", message);
    }
}
