package org.fedlodrop.simulator.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lets the cluster's Jackson CBOR serializer carry tensors (sub-adapters down, trained updates up): an
 * INDArray travels as one binary value in ND4J's own format, with its data type and shape, so that it
 * arrives bit for bit as it left and a sharded learning run computes what a local one does.
 */
public final class TensorModule extends SimpleModule {
    public TensorModule() {
        super("fedlodrop-tensors");
        addSerializer(INDArray.class, new StdSerializer<>(INDArray.class) {
            @Override
            public void serialize(INDArray value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeBinary(Nd4j.toByteArray(value));
            }
        });
        addDeserializer(INDArray.class, new StdDeserializer<>(INDArray.class) {
            @Override
            public INDArray deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return Nd4j.fromByteArray(parser.getBinaryValue());
            }
        });
    }
}
