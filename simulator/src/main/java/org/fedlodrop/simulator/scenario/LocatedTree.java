package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario document as a tree, with the line and column of every field, so that a problem found
 * after binding (a value out of range) can still point at its place in the file. Jackson's own
 * tree model drops locations, hence this reader of the token stream.
 */
final class LocatedTree {
    /** A 1-based place in the source. */
    record Place(int line, int column) {
    }

    private final JsonNode root;
    private final Map<String, Place> places;

    private LocatedTree(JsonNode root, Map<String, Place> places) {
        this.root = root;
        this.places = Map.copyOf(places);
    }

    JsonNode root() {
        return root;
    }

    Place place(String path) {
        return places.get(path);
    }

    /**
     * Reads one document. Duplicate keys are problems (YAML forbids them; a silent last-one-wins
     * would hide a mistake).
     */
    static LocatedTree read(JsonParser parser, List<FieldProblem> problems, String source) throws IOException {
        Map<String, Place> places = new HashMap<>();
        JsonToken first = parser.nextToken();
        if (first == null) {
            return new LocatedTree(null, places);
        }
        JsonNode root = new Reader(parser, places, problems, source).value("");
        return new LocatedTree(root, places);
    }

    private record Reader(JsonParser parser, Map<String, Place> places, List<FieldProblem> problems, String source) {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        JsonNode value(String path) throws IOException {
            return switch (parser.currentToken()) {
                case START_OBJECT -> object(path);
                case START_ARRAY -> array(path);
                case VALUE_STRING -> NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                default -> NODES.textNode(parser.getText());
            };
        }

        private ObjectNode object(String path) throws IOException {
            ObjectNode node = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                Place place = place(parser.currentTokenLocation());
                parser.nextToken();
                if (node.has(name)) {
                    problems.add(new FieldProblem(source, place.line(), place.column(), child,
                            "duplicate key; each field may appear once"));
                }
                places.putIfAbsent(child, place);
                node.set(name, value(child));
            }
            return node;
        }

        private ArrayNode array(String path) throws IOException {
            ArrayNode node = NODES.arrayNode();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + index++ + "]";
                places.putIfAbsent(child, place(parser.currentTokenLocation()));
                node.add(value(child));
            }
            return node;
        }

        private static Place place(JsonLocation location) {
            return new Place(Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
        }
    }
}
