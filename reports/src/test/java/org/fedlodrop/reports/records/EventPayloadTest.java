package org.fedlodrop.reports.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedlodrop.reports.io.RunFormats;
import org.junit.jupiter.api.Test;

/** An event's payload behaves as the LinkedHashMap it replaces: order, repeated keys, nulls, equality, JSON. */
class EventPayloadTest {
    @Test
    void behavesAsALinkedHashMapBuiltFromTheSamePairs() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        String[] names = {"gamma", "bandwidth_hz", "power_w", "outcome", "t_ul_s", "device", "round"};
        ObjectMapper json = RunFormats.jsonLines();
        for (int trial = 0; trial < 2_000; trial++) {
            int pairs = random.nextInt(0, 9);
            Object[] keyValues = new Object[2 * pairs];
            Map<String, Object> reference = new LinkedHashMap<>();
            for (int i = 0; i < pairs; i++) {
                String key = names[random.nextInt(names.length)]; // repeats are common
                Object value = switch (random.nextInt(4)) {
                    case 0 -> random.nextDouble();
                    case 1 -> random.nextInt(100);
                    case 2 -> null;
                    default -> List.of(random.nextInt(5), "x");
                };
                keyValues[2 * i] = key;
                keyValues[2 * i + 1] = value;
                reference.put(key, value);
            }
            EventPayload payload = EventPayload.ofPairs(keyValues);
            assertThat(payload).isEqualTo(reference);
            assertThat(reference).isEqualTo(payload);
            assertThat(payload.hashCode()).isEqualTo(reference.hashCode());
            assertThat(payload.toString()).isEqualTo(reference.toString());
            assertThat(new ArrayList<>(payload.keySet())).isEqualTo(new ArrayList<>(reference.keySet()));
            assertThat(new ArrayList<>(payload.values())).isEqualTo(new ArrayList<>(reference.values()));
            for (String name : names) {
                assertThat(payload.containsKey(name)).isEqualTo(reference.containsKey(name));
                assertThat(payload.get(name)).isEqualTo(reference.get(name));
            }
            assertThat(json.writeValueAsString(payload)).isEqualTo(json.writeValueAsString(reference));
            assertThat(EventPayload.copyOf(reference)).isEqualTo(reference);
        }
    }

    @Test
    void isImmutableAndEventRecordsCopyOtherMaps() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("a", 1);
        EventRecord record = new EventRecord(5, EventType.DOWNLOAD_END, 0, 3, source);
        source.put("b", 2);
        assertThat(record.payload()).containsOnlyKeys("a");
        assertThatThrownBy(() -> record.payload().put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> record.payload().entrySet().iterator().next().setValue(4))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> EventRecord.of(1, EventType.ROUND_END, 0, null, "odd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventRecord.of(1, EventType.ROUND_END, 0, null, null, 1)).isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> new EventRecord(1, EventType.ROUND_END, 0, null, nullKey)).isInstanceOf(IllegalArgumentException.class);
        EventRecord built = EventRecord.of(1, EventType.ROUND_END, 0, null, "k", 1.5, "k", 2.5, "j", null);
        assertThat(built.payload()).containsExactly(Map.entry("k", 2.5), new java.util.AbstractMap.SimpleEntry<>("j", null));
    }
}
