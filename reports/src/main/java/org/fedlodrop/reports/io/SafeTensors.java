package org.fedlodrop.reports.io;

import org.fedlodrop.reports.records.StateTensor;
import org.fedlodrop.reports.records.Tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model checkpoints in the safetensors layout (huggingface.co/docs/safetensors): an 8-byte
 * little-endian header length, a JSON header naming every tensor's dtype, shape and byte range, an
 * optional {@code __metadata__} map of strings, then the raw little-endian data. Only F32 tensors
 * are written, which is all fedlodrop's models hold. Written here because the format is a page long
 * and the Java bindings of the reference library need native code.
 */
public final class SafeTensors {
    /** The tensors by name, in file order, and the metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private SafeTensors() {
    }

    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, StateTensor> f32 = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            ByteBuffer bytes = ByteBuffer.allocate(4 * tensor.data().length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(tensor.data());
            f32.put(name, new StateTensor("F32", tensor.shape(), bytes.array()));
        });
        return encodeState(f32, metadata);
    }

    /** Tensors kept bit for bit (F32 or F64), as a checkpoint holds them; read back with {@link #readState}. */
    public static byte[] encodeState(Map<String, StateTensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, StateTensor> entry : tensors.entrySet()) {
            ObjectNode description = header.putObject(entry.getKey());
            description.put("dtype", entry.getValue().dtype());
            var shape = description.putArray("shape");
            for (long dimension : entry.getValue().shape()) {
                shape.add(dimension);
            }
            long end = offset + entry.getValue().data().length;
            description.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded);
        buffer.put(json);
        for (int i = json.length; i < padded; i++) {
            buffer.put((byte) ' ');
        }
        for (StateTensor tensor : tensors.values()) {
            buffer.put(tensor.data());
        }
        return buffer.array();
    }

    /** The tensors and metadata of {@link #encodeState}'s bytes; a file that is not one is reported, never guessed at. */
    public static StateContents readState(String name, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < 8) {
            throw new IOException(name + ": too short for a safetensors file");
        }
        long headerLength = buffer.getLong();
        if (headerLength < 2 || headerLength > buffer.remaining()) {
            throw new IOException(name + ": header length " + headerLength + " does not fit the file");
        }
        byte[] json = new byte[(int) headerLength];
        buffer.get(json);
        JsonNode header;
        try {
            header = JSON.readTree(new String(json, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IOException(name + ": the header is not JSON (" + e.getMessage() + ")");
        }
        int dataStart = buffer.position();
        Map<String, StateTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode description = entry.getValue();
            long[] shape = new long[description.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = description.path("shape").get(i).asLong();
            }
            long begin = description.path("data_offsets").path(0).asLong(-1);
            long end = description.path("data_offsets").path(1).asLong(-1);
            if (begin < 0 || end < begin || dataStart + end > bytes.length) {
                throw new IOException(name + ": tensor " + entry.getKey() + " lies outside the file");
            }
            byte[] data = java.util.Arrays.copyOfRange(bytes, (int) (dataStart + begin), (int) (dataStart + end));
            try {
                tensors.put(entry.getKey(), new StateTensor(description.path("dtype").asText(), shape, data));
            } catch (IllegalArgumentException e) {
                throw new IOException(name + ": tensor " + entry.getKey() + ": " + e.getMessage());
            }
        }
        return new StateContents(tensors, metadata);
    }

    /** What {@link #readState} read. */
    public record StateContents(Map<String, StateTensor> tensors, Map<String, String> metadata) {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, encode(tensors, metadata));
    }

    /** Reads a safetensors file of F32 tensors; anything else is reported as not readable. */
    public static Contents read(Path file) throws IOException {
        StateContents contents = readState(file.toString(), Files.readAllBytes(file));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, StateTensor> entry : contents.tensors().entrySet()) {
            StateTensor tensor = entry.getValue();
            if (!"F32".equals(tensor.dtype())) {
                throw new IOException(file + ": tensor " + entry.getKey() + " has dtype " + tensor.dtype()
                        + "; only F32 is read");
            }
            float[] data = new float[tensor.data().length / 4];
            ByteBuffer.wrap(tensor.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            tensors.put(entry.getKey(), new Tensor(tensor.shape(), data));
        }
        return new Contents(tensors, contents.metadata());
    }
}
