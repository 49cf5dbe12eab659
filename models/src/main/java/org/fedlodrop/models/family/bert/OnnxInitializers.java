package org.fedlodrop.models.family.bert;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of an ONNX model: its graph's initializers (float tensors by name) and, for each
 * MatMul node whose second input is an initializer, that initializer's name by node name (exporters
 * rename MatMul weights, e.g. {@code onnx::MatMul_787}, so the node name is what says which
 * projection a weight belongs to).
 *
 * <p>Parsed by protobuf-java's own parser against the part of the public {@code onnx.proto} schema
 * it needs (ModelProto.graph, GraphProto.node and .initializer, NodeProto's inputs, name and op type,
 * TensorProto's dims, data type, float data, name and raw data, with their field numbers from
 * onnx.proto); fields outside that part are skipped as unknown fields. No ONNX protos for Java are
 * published without a native runtime or a model importer around them, so the schema is declared here.
 */
public final class OnnxInitializers {
    /** A float tensor: its shape and its values in row-major order. */
    public record Tensor(long[] shape, float[] values) {
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** ONNX TensorProto.DataType FLOAT. */
    private static final int FLOAT = 1;

    private final Map<String, Tensor> tensors;
    private final Map<String, String> matMulWeights;

    private OnnxInitializers(Map<String, Tensor> tensors, Map<String, String> matMulWeights) {
        this.tensors = Map.copyOf(tensors);
        this.matMulWeights = Map.copyOf(matMulWeights);
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** MatMul node name → the name of its weight initializer. */
    public Map<String, String> matMulWeights() {
        return matMulWeights;
    }

    /**
     * Reads a serialised ModelProto. Float initializers only (others, such as int64 position ids,
     * are left out).
     *
     * @throws OnnxFormatException if the bytes are no ONNX model or a float tensor's data does not
     *                             match its shape
     */
    public static OnnxInitializers parse(byte[] model) throws OnnxFormatException {
        Schema schema = Schema.INSTANCE;
        DynamicMessage root;
        try {
            root = DynamicMessage.parseFrom(schema.model, model);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException("not an ONNX model (" + e.getMessage() + ")");
        }
        if (!root.hasField(schema.modelGraph)) {
            throw new OnnxFormatException("not an ONNX model: it has no graph");
        }
        DynamicMessage graph = (DynamicMessage) root.getField(schema.modelGraph);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Object each : (List<?>) graph.getField(schema.graphInitializer)) {
            DynamicMessage tensor = (DynamicMessage) each;
            String name = (String) tensor.getField(schema.tensorName);
            int type = ((Number) tensor.getField(schema.tensorDataType)).intValue();
            if (type != FLOAT) {
                continue;
            }
            List<?> dims = (List<?>) tensor.getField(schema.tensorDims);
            long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
            float[] values = values(tensor, schema, name);
            Tensor read = new Tensor(shape, values);
            if (read.size() != values.length) {
                throw new OnnxFormatException("initializer " + name + ": shape " + java.util.Arrays.toString(shape)
                        + " needs " + read.size() + " values, the file holds " + values.length);
            }
            tensors.put(name, read);
        }
        Map<String, String> matMul = new LinkedHashMap<>();
        for (Object each : (List<?>) graph.getField(schema.graphNode)) {
            DynamicMessage node = (DynamicMessage) each;
            List<?> inputs = (List<?>) node.getField(schema.nodeInput);
            if ("MatMul".equals(node.getField(schema.nodeOpType)) && inputs.size() == 2
                    && tensors.containsKey((String) inputs.get(1))) {
                matMul.put((String) node.getField(schema.nodeName), (String) inputs.get(1));
            }
        }
        return new OnnxInitializers(tensors, matMul);
    }

    private static float[] values(DynamicMessage tensor, Schema schema, String name) throws OnnxFormatException {
        ByteString raw = (ByteString) tensor.getField(schema.tensorRawData);
        if (!raw.isEmpty()) {
            if (raw.size() % Float.BYTES != 0) {
                throw new OnnxFormatException("initializer " + name + ": " + raw.size() + " raw bytes are no whole number of floats");
            }
            float[] values = new float[raw.size() / Float.BYTES];
            raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
        List<?> data = (List<?>) tensor.getField(schema.tensorFloatData);
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Number) data.get(i)).floatValue();
        }
        return values;
    }

    /** The part of onnx.proto read here, with the public schema's field numbers. */
    private static final class Schema {
        static final Schema INSTANCE = new Schema();

        final Descriptors.Descriptor model;
        final Descriptors.FieldDescriptor modelGraph;
        final Descriptors.FieldDescriptor graphNode;
        final Descriptors.FieldDescriptor graphInitializer;
        final Descriptors.FieldDescriptor nodeInput;
        final Descriptors.FieldDescriptor nodeName;
        final Descriptors.FieldDescriptor nodeOpType;
        final Descriptors.FieldDescriptor tensorDims;
        final Descriptors.FieldDescriptor tensorDataType;
        final Descriptors.FieldDescriptor tensorFloatData;
        final Descriptors.FieldDescriptor tensorName;
        final Descriptors.FieldDescriptor tensorRawData;

        private Schema() {
            FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("onnx-subset.proto").setPackage("onnx")
                    .setSyntax("proto2")
                    .addMessageType(message("ModelProto", field("graph", 7, FieldDescriptorProto.Type.TYPE_MESSAGE,
                            ".onnx.GraphProto", false)))
                    .addMessageType(message("GraphProto",
                            field("node", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".onnx.NodeProto", true),
                            field("initializer", 5, FieldDescriptorProto.Type.TYPE_MESSAGE, ".onnx.TensorProto", true)))
                    .addMessageType(message("NodeProto",
                            field("input", 1, FieldDescriptorProto.Type.TYPE_STRING, null, true),
                            field("output", 2, FieldDescriptorProto.Type.TYPE_STRING, null, true),
                            field("name", 3, FieldDescriptorProto.Type.TYPE_STRING, null, false),
                            field("op_type", 4, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
                    .addMessageType(message("TensorProto",
                            field("dims", 1, FieldDescriptorProto.Type.TYPE_INT64, null, true),
                            field("data_type", 2, FieldDescriptorProto.Type.TYPE_INT32, null, false),
                            field("float_data", 4, FieldDescriptorProto.Type.TYPE_FLOAT, null, true),
                            field("name", 8, FieldDescriptorProto.Type.TYPE_STRING, null, false),
                            field("raw_data", 9, FieldDescriptorProto.Type.TYPE_BYTES, null, false)))
                    .build();
            Descriptors.FileDescriptor descriptor;
            try {
                descriptor = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
            } catch (Descriptors.DescriptorValidationException e) {
                throw new IllegalStateException("the ONNX schema subset does not build", e);
            }
            model = descriptor.findMessageTypeByName("ModelProto");
            Descriptors.Descriptor graph = descriptor.findMessageTypeByName("GraphProto");
            Descriptors.Descriptor node = descriptor.findMessageTypeByName("NodeProto");
            Descriptors.Descriptor tensor = descriptor.findMessageTypeByName("TensorProto");
            modelGraph = model.findFieldByName("graph");
            graphNode = graph.findFieldByName("node");
            graphInitializer = graph.findFieldByName("initializer");
            nodeInput = node.findFieldByName("input");
            nodeName = node.findFieldByName("name");
            nodeOpType = node.findFieldByName("op_type");
            tensorDims = tensor.findFieldByName("dims");
            tensorDataType = tensor.findFieldByName("data_type");
            tensorFloatData = tensor.findFieldByName("float_data");
            tensorName = tensor.findFieldByName("name");
            tensorRawData = tensor.findFieldByName("raw_data");
        }

        private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
            DescriptorProto.Builder builder = DescriptorProto.newBuilder().setName(name);
            for (FieldDescriptorProto field : fields) {
                builder.addField(field);
            }
            return builder.build();
        }

        private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type,
                                                  String typeName, boolean repeated) {
            FieldDescriptorProto.Builder builder = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
                    .setType(type).setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED
                            : FieldDescriptorProto.Label.LABEL_OPTIONAL);
            if (typeName != null) {
                builder.setTypeName(typeName);
            }
            return builder.build();
        }
    }
}
