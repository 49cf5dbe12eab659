package org.fedlodrop.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.io.RecordStream;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStreamTest {
    @TempDir
    Path directory;

    @Test
    void fileTakesItsNameOnlyOnCommit() throws Exception {
        Path target = directory.resolve("devices.csv");
        DeviceRoundRecord row = new DeviceRoundRecord(3, 7, 1, 80.5, -90.25, 120.5, 0.25, 1e6, 0.2, 2e9, 1.5e-10, -98.2, 1.4e-10, 2e7, 1e7,
                2.1e7, 1.05, 119.7, 2.1, 122.85, 95.8, 0.42, 96.22, DeviceOutcome.MISSED_DEADLINE, false, Double.NaN, "phone", 120);
        try (RecordStream<DeviceRoundRecord> stream = RecordStream.csv(target, DeviceRoundRecord.class)) {
            stream.append(row);
            assertThat(target).doesNotExist();
            assertThat(directory.resolve("devices.csv.part")).exists();
            stream.commit();
        }
        assertThat(directory.resolve("devices.csv.part")).doesNotExist();
        List<String> lines = Files.readAllLines(target);
        assertThat(lines.get(0)).startsWith("round,device,cell,x_m,y_m,distance_m,gamma,bandwidth_hz,power_w,frequency_hz,gain,gain_db,gain_estimate,")
                .endsWith(",outcome,deadline_met,local_loss,device_class,samples");
        assertThat(lines.get(1)).endsWith(",missed_deadline,false,NaN,phone,120");
        assertThat(RunTables.readCsv(target, DeviceRoundRecord.class)).containsExactly(row);
    }

    @Test
    void jsonLinesEndEveryLineAndKeepPayloadOrder() throws Exception {
        Path target = directory.resolve("events.jsonl");
        try (RecordStream<EventRecord> stream = RecordStream.jsonLines(target)) {
            stream.append(EventRecord.of(5, EventType.DOWNLOAD_START, 0, 2, "zeta", 1, "alpha", 2.5));
            stream.append(EventRecord.of(9, EventType.ROUND_END, 0, null));
            stream.commit();
        }
        String text = Files.readString(target);
        assertThat(text).isEqualTo(
                "{\"time_ns\":5,\"type\":\"download_start\",\"round\":0,\"device\":2,\"payload\":{\"zeta\":1,\"alpha\":2.5}}\n"
                        + "{\"time_ns\":9,\"type\":\"round_end\",\"round\":0,\"payload\":{}}\n");
        List<EventRecord> back = RunTables.readJsonLines(target, EventRecord.class);
        assertThat(back).hasSize(2);
        assertThat(back.get(0).payload()).isEqualTo(Map.of("zeta", 1, "alpha", 2.5));
        assertThat(back.get(1).device()).isNull();
    }
}
