package org.fedlodrop.reports.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;

/**
 * A generator that spells finite doubles through {@link DoubleSpellings}: the text of Jackson's own
 * {@code writeNumber(double)} with the fast double writer on ({@link DoubleSpelling}), which is required
 * here, as numbers-as-strings is refused, so the bytes written are unchanged. Non-finite values go to the
 * wrapped generator, which decides how to quote them.
 */
final class RememberingDoubles extends JsonGeneratorDelegate {
    private final DoubleSpellings spellings = new DoubleSpellings();
    /**
     * JSON takes the spelling as a raw value, bytes copied (writeNumber(String) encodes it char by char:
     * 6 % of bench kernel); CSV goes through writeNumber(String), which keeps its handling of array columns.
     */
    private final boolean json;

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
        } else {
            delegate.writeNumber(spellings.of(value));
        }
    }
}
