package org.fedlodrop.reports;

import org.fedlodrop.reports.records.Tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlodrop.reports.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path temp;

    @Test
    void writesTheDocumentedLayoutAndReadsItBack() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("b", new Tensor(new long[] {1}, new float[] {-0.5f}));
        byte[] bytes = SafeTensors.encode(tensors, Map.of("format", "test"));
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip();
        assertThat(header).isEqualTo("{\"__metadata__\":{\"format\":\"test\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]}}");
        assertThat(bytes).hasSize(8 + (int) headerLength + 28);
        buffer.position(8 + (int) headerLength + 24);
        assertThat(buffer.getFloat()).isEqualTo(-0.5f);

        Path file = temp.resolve("m.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "test"));
        SafeTensors.Contents back = SafeTensors.read(file);
        assertThat(back.metadata()).containsEntry("format", "test");
        assertThat(back.tensors().keySet()).containsExactly("a", "b");
        assertThat(back.tensors().get("a").shape()).containsExactly(2, 3);
        assertThat(back.tensors().get("a").data()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void readsAFileWrittenByHandToTheSpecification() throws IOException {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length).put(header).putFloat(1.5f).putFloat(-2f);
        Path file = temp.resolve("hand.safetensors");
        Files.write(file, buffer.array());
        assertThat(SafeTensors.read(file).tensors().get("w").data()).containsExactly(1.5f, -2f);
    }

    @Test
    void aDamagedFileIsReportedNotMisread() throws IOException {
        Path file = temp.resolve("bad.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(IOException.class).hasMessageContaining("too short");
        ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Files.write(file, buffer.array());
        assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(IOException.class).hasMessageContaining("does not fit");
    }

    /** A checkpoint's tensors come back bit for bit, doubles too (NaN payloads, −0, subnormals). */
    @Test
    void stateTensorsRoundTripBitForBitInTheirOwnType() throws IOException {
        double[] values = {Math.PI, -0.0, Double.MIN_VALUE, Double.longBitsToDouble(0x7ff8000000000123L), 1e300, -7};
        ByteBuffer f64 = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            f64.putDouble(v);
        }
        ByteBuffer f32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).putFloat(-1.5f);
        Map<String, org.fedlodrop.reports.records.StateTensor> tensors = new LinkedHashMap<>();
        tensors.put("a.0", new org.fedlodrop.reports.records.StateTensor("F64", new long[] {2, 3}, f64.array()));
        tensors.put("head.bias", new org.fedlodrop.reports.records.StateTensor("F32", new long[] {1, 2}, f32.array()));
        byte[] bytes = SafeTensors.encodeState(tensors, Map.of("round", "5"));
        SafeTensors.StateContents back = SafeTensors.readState("learning.safetensors", bytes);
        assertThat(back.metadata()).containsEntry("round", "5");
        assertThat(back.tensors().keySet()).containsExactly("a.0", "head.bias");
        assertThat(back.tensors().get("a.0").data()).isEqualTo(f64.array());
        assertThat(back.tensors().get("a.0").shape()).containsExactly(2, 3);
        assertThat(back.tensors().get("head.bias").dtype()).isEqualTo("F32");
        assertThat(back.tensors().get("head.bias").data()).isEqualTo(f32.array());
        // The F32 writer is the same layout: a model file is a state file of F32 tensors.
        Map<String, Tensor> model = Map.of("w", new Tensor(new long[] {2}, new float[] {Float.NaN, -1.5f}));
        assertThat(SafeTensors.encode(model, Map.of())).isEqualTo(SafeTensors.encodeState(
                Map.of("w", new org.fedlodrop.reports.records.StateTensor("F32", new long[] {2}, f32.array())), Map.of()));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> SafeTensors.readState("learning.safetensors", cut)).isInstanceOf(IOException.class)
                .hasMessageContaining("learning.safetensors: tensor head.bias lies outside the file");
    }
}
