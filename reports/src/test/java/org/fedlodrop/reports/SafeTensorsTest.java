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
}
