package org.fedlodrop.reports.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;

/**
 * A generator that spells finite doubles through {@link DoubleSpellings}: the text of Jackson's own
 * {@code writeNumber(double)} with the fast double writer on ({@link DoubleSpelling}), which is required
 * here, as numbers-as-strings is refused, so the bytes written are unchanged. (Inside a CSV array column
 * plain Jackson would spell with {@code String.valueOf}, JDK 17's digits; here the spelling stays the
 * same everywhere.) Non-finite values go to the wrapped generator, which decides how to quote them.
 */
final class RememberingDoubles extends JsonGeneratorDelegate {
    private final DoubleSpellings spellings = new DoubleSpellings();
    /**
     * JSON takes the spelling as a raw value, bytes copied (writeNumber(String) encodes it char by char:
     * 6 % of bench kernel).
     */
    private final boolean json;
    /**
     * Arrays open around the value being written. CSV takes a spelling as a raw value too, outside arrays:
     * writeNumber(String) checks every spelling for characters to quote (5 % of bench kernel), which a
     * number never has; but inside an array column it is what joins the elements.
     */
    private int arrays;

    RememberingDoubles(JsonGenerator wrapped) {
        super(wrapped, false);
        if (wrapped.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)
                || !wrapped.isEnabled(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER)) {
            throw new IllegalArgumentException("doubles written as strings or without the fast writer are spelled otherwise");
        }
        json = wrapped instanceof UTF8JsonGenerator;
    }

    @Override
    public void writeNumber(double value) throws IOException {
        if (!Double.isFinite(value)) {
            delegate.writeNumber(value);
        } else if (json) {
            delegate.writeRawValue(spellings.spelled(value));
        } else if (arrays == 0) {
            delegate.writeRawValue(spellings.of(value));
        } else {
            delegate.writeNumber(spellings.of(value));
        }
    }

    @Override
    public void writeStartArray() throws IOException {
        arrays++;
        delegate.writeStartArray();
    }

    @Override
    public void writeStartArray(int size) throws IOException {
        arrays++;
        delegate.writeStartArray(size);
    }

    @Override
    public void writeStartArray(Object forValue) throws IOException {
        arrays++;
        delegate.writeStartArray(forValue);
    }

    @Override
    public void writeStartArray(Object forValue, int size) throws IOException {
        arrays++;
        delegate.writeStartArray(forValue, size);
    }

    @Override
    public void writeEndArray() throws IOException {
        arrays--;
        delegate.writeEndArray();
    }
}
