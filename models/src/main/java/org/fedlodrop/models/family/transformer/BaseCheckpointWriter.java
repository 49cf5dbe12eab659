package org.fedlodrop.models.family.transformer;

import org.fedlodrop.reports.records.Tensor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlodrop.models.text.Vocabulary;
import org.fedlodrop.reports.io.SafeTensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves a pretrained transformer base in the safetensors layout that {@link BaseCheckpointReader}
 * reads: the frozen tensors by their names, the source task's head (kept for inspection; fine-tuning
 * starts a fresh head), and in the metadata the format, the shape, the vocabulary as a JSON list and
 * how the base was made.
 */
public final class BaseCheckpointWriter {
    private BaseCheckpointWriter() {
    }

    public static void write(Path file, TransformerClassifier model, INDArray headWeights, INDArray headBias,
                             Vocabulary vocabulary, Map<String, String> provenance) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.frozenTensors().forEach((name, array) -> tensors.put(name, tensor(array)));
        tensors.put("head.weight", tensor(headWeights));
        tensors.put("head.bias", tensor(headBias));
        TransformerClassifier.Shape shape = model.shape();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", BaseCheckpointReader.FORMAT);
        metadata.put("max_length", Integer.toString(shape.maxLength()));
        metadata.put("width", Integer.toString(shape.width()));
        metadata.put("blocks", Integer.toString(shape.blocks()));
        metadata.put("heads", Integer.toString(shape.heads()));
        metadata.put("feed_forward", Integer.toString(shape.feedForward()));
        metadata.put("classes", Integer.toString(shape.classes()));
        try {
            metadata.put("vocabulary", new ObjectMapper().writeValueAsString(vocabulary.tokens()));
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode the vocabulary", e);
        }
        metadata.putAll(provenance);
        SafeTensors.write(file, tensors, metadata);
    }

    private static Tensor tensor(INDArray array) {
        return new Tensor(array.shape(), array.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }
}
