package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a scenario tree against the shape of the {@link Scenario} records before binding, so that
 * every unknown field and every wrong type is reported at once (Jackson stops at the first).
 * The shape comes from the record components themselves: there is no second schema to keep in step.
 */
final class SchemaCheck {
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    /** Numbers YAML 1.1 leaves as text, such as {@code 1e-28} (no dot), which users mean as numbers. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final List<RangeChecks.Violation> violations = new ArrayList<>();

    /** Checks {@code node} as an instance of {@code type}; may replace numeric text by numbers in place. */
    static List<RangeChecks.Violation> check(Class<?> type, ObjectNode node) {
        return check(type, node, "");
    }

    /** As above for a record that stands at {@code path} of the scenario (an extension's settings). */
    static List<RangeChecks.Violation> check(Class<?> type, ObjectNode node, String path) {
        SchemaCheck check = new SchemaCheck();
        check.record(type, node, path);
        return check.violations;
    }

    static Map<String, RecordComponent> fields(Class<?> recordType) {
        Map<String, RecordComponent> fields = new LinkedHashMap<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            fields.put(SNAKE.translate(component.getName()), component);
        }
        return fields;
    }

    private void record(Class<?> type, ObjectNode node, String path) {
        Map<String, RecordComponent> fields = fields(type);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String child = path.isEmpty() ? name : path + "." + name;
            RecordComponent component = fields.get(name);
            if (component == null) {
                violations.add(new RangeChecks.Violation(child, unknownField(name, fields.keySet(), path)));
                continue;
            }
            value(component.getType(), component.getGenericType(), entry.getValue(), child,
                    replacement -> node.set(name, replacement));
        }
    }

    private void value(Class<?> type, Type generic, JsonNode value, String path, Consumer<JsonNode> replace) {
        String expected = describe(type, generic);
        boolean blank = value != null && value.isTextual() && value.asText().isEmpty() && type != String.class;
        if (value == null || value.isNull() || value.isMissingNode() || blank) {
            violations.add(new RangeChecks.Violation(path, "missing value; expected " + expected));
            return;
        }
        boolean ok;
        if (type == int.class || type == Integer.class) {
            ok = value.isIntegralNumber() && value.canConvertToInt();
        } else if (type == long.class || type == Long.class) {
            ok = value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0;
        } else if (type == double.class || type == Double.class) {
            ok = value.isNumber();
            if (!ok && value.isTextual() && NUMBER.matcher(value.asText().trim()).matches()) {
                replace.accept(DoubleNode.valueOf(Double.parseDouble(value.asText().trim())));
                ok = true;
            }
        } else if (type == boolean.class || type == Boolean.class) {
            ok = value.isBoolean();
        } else if (type == String.class) {
            ok = value.isTextual();
        } else if (type.isEnum()) {
            ok = value.isTextual() && EnumLabels.parse(type, value.asText()).isPresent();
        } else if (type == JsonNode.class) {
            // An extension's settings: checked against its own record once its type is known (ExtensionSpec).
            ok = value.isObject();
        } else if (type.isRecord()) {
            ok = value.isObject();
            if (ok) {
                record(type, (ObjectNode) value, path);
                return;
            }
        } else if (type == List.class) {
            ok = value.isArray();
            if (ok) {
                Class<?> element = elementType(generic);
                ArrayNode array = (ArrayNode) value;
                for (int i = 0; i < array.size(); i++) {
                    int index = i;
                    value(element, element, array.get(i), path + "[" + i + "]", replacement -> array.set(index, replacement));
                }
                return;
            }
        } else {
            throw new IllegalStateException("scenario field of unsupported type " + type);
        }
        if (!ok) {
            violations.add(new RangeChecks.Violation(path, "expected " + expected + ", got " + shown(value)));
        }
    }

    static Class<?> elementType(Type generic) {
        return (Class<?>) ((ParameterizedType) generic).getActualTypeArguments()[0];
    }

    private static String describe(Class<?> type, Type generic) {
        if (type == int.class || type == Integer.class) {
            return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        } else if (type == long.class || type == Long.class) {
            return "a non-negative integer of at most " + Long.MAX_VALUE;
        } else if (type == double.class || type == Double.class) {
            return "a number";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (type == String.class) {
            return "text";
        } else if (type.isEnum()) {
            return "one of " + String.join(", ", EnumLabels.labels(type));
        } else if (type == JsonNode.class) {
            return "a mapping of the type's settings";
        } else if (type == List.class) {
            return "a list of " + describe(elementType(generic), elementType(generic)).replaceFirst("^an? ", "");
        } else {
            return "a mapping with fields " + String.join(", ", fields(type).keySet());
        }
    }

    private static String shown(JsonNode value) {
        String kind;
        if (value.isTextual()) {
            kind = "text";
        } else if (value.isBoolean()) {
            kind = "a boolean";
        } else if (value.isIntegralNumber()) {
            kind = "the integer";
        } else if (value.isNumber()) {
            kind = "the number";
        } else if (value.isObject()) {
            return "a mapping";
        } else if (value.isArray()) {
            return "a list";
        } else {
            kind = "a value";
        }
        String text = value.isTextual() ? Echo.quoted(value.asText()) : value.toString();
        if (!value.isTextual() && text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return kind + " " + text;
    }

    private static String unknownField(String name, Iterable<String> known, String parent) {
        String where = parent.isEmpty() ? "scenario" : "'" + parent + "'";
        StringBuilder message = new StringBuilder("unknown field in " + where);
        if (!known.iterator().hasNext()) {
            return message.append("; it takes no fields").toString();
        }
        String closest = null;
        int best = Integer.MAX_VALUE;
        List<String> names = new ArrayList<>();
        for (String candidate : known) {
            names.add(candidate);
            int distance = editDistance(name, candidate);
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        if (closest != null && best <= Math.max(2, name.length() / 3)) {
            message.append("; did you mean '").append(closest).append("'?");
        }
        return message.append("; expected one of: ").append(String.join(", ", names)).toString();
    }

    /** Levenshtein distance, for "did you mean" hints. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
