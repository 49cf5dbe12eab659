package org.fedlodrop.simulator.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How enums are spelled in scenario files, both ways. */
public final class EnumLabels {
    private EnumLabels() {
    }

    public static String label(Enum<?> value) {
        if (value instanceof Labelled labelled) {
            return labelled.label();
        }
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static List<String> labels(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> label((Enum<?>) c)).toList();
    }

    public static Optional<Enum<?>> parse(Class<?> enumType, String text) {
        return Arrays.stream(enumType.getEnumConstants())
                .<Enum<?>>map(c -> (Enum<?>) c)
                .filter(c -> label(c).equals(text))
                .findFirst();
    }
}
