package org.fedlodrop.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNumbersTest {
    @TempDir
    Path run;

    /** Hand-written files: the doubles in the order written, integers, NaN, infinities and text left out. */
    @Test
    void readsTheDoublesEachFileSpelledInOrder() throws Exception {
        Files.writeString(run.resolve("events.jsonl"), String.join("\n",
                "{\"time_ns\":0,\"type\":\"plan\",\"round\":0,\"payload\":{\"gamma\":0.5,\"lower_bound\":\"NaN\",\"devices\":"
                        + "[{\"device\":3,\"power_w\":0.19952623149688797,\"frequency_hz\":2.0E9}]}}",
                "",
                "{\"time_ns\":5,\"type\":\"round_end\",\"round\":0,\"payload\":{\"loss\":1.5E-7,\"count\":12}}", ""));
        Files.writeString(run.resolve("devices.csv"), String.join("\n",
                "round,device,gamma,outcome,local_loss,device_class,gain",
                "0,3,0.25,aggregated,NaN,sensor.v2,-80.5",
                "1,3,1.0E9,missed,Infinity,phone,7", ""));
        FileNumbers numbers = FileNumbers.of(run);

        assertThat(numbers.all()).containsExactly(0.5, 0.19952623149688797, 2.0e9, 1.5e-7, 0.25, -80.5, 1.0e9);
        assertThat(numbers.count()).isEqualTo(7);
        assertThat(numbers.distinct()).isEqualTo(7);
        long[] sink = new long[1];
        assertThat(numbers.spellSeconds(sink)).isPositive();
        // "0.5" "0.19952623149688797" "2.0E9" "1.5E-7" | "0.25" "-80.5" "1.0E9": the spellings the files hold.
        assertThat(sink[0]).isEqualTo(3 + 19 + 5 + 6 + 4 + 5 + 5);
    }

    @Test
    void aRunWithoutFilesHasNoDoubles() throws Exception {
        FileNumbers numbers = FileNumbers.of(run);
        assertThat(numbers.count()).isZero();
        assertThat(numbers.distinct()).isZero();
    }
}
