package org.fedlodrop.reports.records;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's payload: an immutable map that keeps its keys in insertion order, in two arrays. Events
 * carry a handful of keys, so a lookup scans them; what matters is that building one is cheap, since a
 * large run makes hundreds of thousands (two LinkedHashMaps per event, one to build and one to copy,
 * had been a twentieth of {@code bench kernel}'s time). Equal to any map with the same entries, as
 * {@link AbstractMap} defines it.
 */
final class EventPayload extends AbstractMap<String, Object> {
    private final String[] keys;
    private final Object[] values;
    private final int size;

    private EventPayload(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /** From key/value pairs; a repeated key keeps its first place and takes its last value, as a LinkedHashMap's put does. */
    static EventPayload ofPairs(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("payload needs key/value pairs");
        }
        String[] keys = new String[keyValues.length / 2];
        Object[] values = new Object[keys.length];
        int size = 0;
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = key(keyValues[i]);
            int at = indexOf(keys, size, key);
            if (at < 0) {
                keys[size] = key;
                values[size++] = keyValues[i + 1];
            } else {
                values[at] = keyValues[i + 1];
            }
        }
        return new EventPayload(keys, values, size);
    }

    /** A copy of any map, in its iteration order; an EventPayload is returned as it is. */
    static EventPayload copyOf(Map<String, ?> map) {
        if (map instanceof EventPayload payload) {
            return payload;
        }
        String[] keys = new String[map.size()];
        Object[] values = new Object[keys.length];
        int size = 0;
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            keys[size] = key(entry.getKey());
            values[size++] = entry.getValue();
        }
        return new EventPayload(keys, values, size);
    }

    /** A key; null is refused here, as JSON would refuse it when the record is written. */
    private static String key(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("a payload key is null");
        }
        return (String) key;
    }

    private static int indexOf(String[] keys, int size, Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && indexOf(keys, size, key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int at = key == null ? -1 : indexOf(keys, size, key);
        return at < 0 ? null : values[at];
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(keys[at], values[at]);
                    }
                };
            }
        };
    }
}
