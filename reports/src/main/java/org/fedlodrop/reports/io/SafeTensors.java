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
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            ObjectNode description = header.putObject(entry.getKey());
            description.put("dtype", "F32");
            var shape = description.putArray("shape");
            for (long dimension : entry.getValue().shape()) {
                shape.add(dimension);
            }
            long end = offset + 4L * entry.getValue().data().length;
            description.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the data starts 8-byte aligned; the header is padded with spaces
        ByteBuffer buffer = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded);
        buffer.put(json);
        for (int i = json.length; i < padded; i++) {
            buffer.put((byte) ' ');
        }
        for (Tensor tensor : tensors.values()) {
            for (float value : tensor.data()) {
                buffer.putFloat(value);
            }
        }
        return buffer.array();
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
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < 8) {
            throw new IOException(file + ": too short for a safetensors file");
        }
        long headerLength = buffer.getLong();
        if (headerLength < 2 || headerLength > buffer.remaining()) {
            throw new IOException(file + ": header length " + headerLength + " does not fit the file");
        }
        byte[] json = new byte[(int) headerLength];
        buffer.get(json);
        JsonNode header = JSON.readTree(new String(json, StandardCharsets.UTF_8).strip());
        int dataStart = buffer.position();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode description = entry.getValue();
            if (!"F32".equals(description.path("dtype").asText())) {
                throw new IOException(file + ": tensor " + entry.getKey() + " has dtype "
                        + description.path("dtype").asText() + "; only F32 is read");
            }
            long[] shape = new long[description.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = description.path("shape").get(i).asLong();
            }
            long begin = description.path("data_offsets").get(0).asLong();
            long end = description.path("data_offsets").get(1).asLong();
            if (begin < 0 || end < begin || dataStart + end > buffer.capacity()) {
                throw new IOException(file + ": tensor " + entry.getKey() + " lies outside the file");
            }
            float[] data = new float[(int) ((end - begin) / 4)];
            ByteBuffer slice = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            slice.position((int) (dataStart + begin));
            for (int i = 0; i < data.length; i++) {
                data[i] = slice.getFloat();
            }
            tensors.put(entry.getKey(), new Tensor(shape, data));
        }
        return new Contents(tensors, metadata);
    }
}
