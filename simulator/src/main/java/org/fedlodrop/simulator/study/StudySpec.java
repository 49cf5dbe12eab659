package org.fedlodrop.simulator.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedlodrop.simulator.scenario.FieldProblem;
import org.fedlodrop.simulator.scenario.ScenarioException;
import org.fedlodrop.simulator.scenario.ScenarioMappers;

/**
 * A study file: a base scenario, sweep axes ({@code grid}: every combination; {@code zip}: lists
 * taken together, one value of each per point), seeds, and the metrics to tabulate (fields of
 * summary.json or columns of the last round in rounds.csv), and optionally {@code curves}: rounds.csv
 * columns to follow round by round, as their mean over seeds per point. Each point is the base scenario with the
 * axes' values as {@code --set} overrides, after the study's fixed ones ({@code set}: field path → value, for
 * every run, not an axis).
 */
public record StudySpec(String name, Path base, List<Point> points, List<Long> seeds, List<String> metrics,
                        List<String> curves) {

    /** One point of the sweep: axis path → value as written in the study file, and the study's fixed values. */
    public record Point(int index, Map<String, String> values, Map<String, String> fixed) {
        public Point {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        }

        public Point(int index, Map<String, String> values) {
            this(index, values, Map.of());
        }

        /** The fixed values, then the axes' values, as {@code --set} overrides. */
        public List<String> overrides() {
            List<String> overrides = new ArrayList<>();
            fixed.forEach((path, value) -> overrides.add(path + "=" + value));
            values.forEach((path, value) -> overrides.add(path + "=" + value));
            return overrides;
        }
    }

    public StudySpec {
        points = List.copyOf(points);
        seeds = List.copyOf(seeds);
        metrics = List.copyOf(metrics);
        curves = List.copyOf(curves);
    }

    /** The sweep axes (scenario field paths): grid axes first, then zipped ones. */
    public List<String> axes() {
        return points.isEmpty() ? List.of() : List.copyOf(points.get(0).values().keySet());
    }

    public static StudySpec load(Path file) throws ScenarioException {
        String source = file.toString();
        JsonNode root;
        try {
            root = ScenarioMappers.forFile(source).readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw problem(source, "", "no such file");
        } catch (IOException | RuntimeException e) {
            throw problem(source, "", "not a readable study file: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw problem(source, "", "expected a mapping with name, base, grid or zip, seeds, metrics");
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("name", "base", "set", "grid", "zip", "seeds", "metrics", "curves").contains(field)) {
                problems.add(new FieldProblem(source, 0, 0, field,
                        "unknown field; expected one of name, base, set, grid, zip, seeds, metrics, curves"));
            }
        }
        String name = root.path("name").asText("");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            problems.add(new FieldProblem(source, 0, 0, "name", "expected a name of letters, digits, '.', '_' and '-'"));
        }
        if (!root.path("base").isTextual()) {
            problems.add(new FieldProblem(source, 0, 0, "base", "expected the path of the base scenario, relative to this file"));
        }
        Map<String, List<String>> grid = axes(root.path("grid"), "grid", source, problems);
        Map<String, List<String>> zip = axes(root.path("zip"), "zip", source, problems);
        Map<String, String> fixed = fixed(root.path("set"), source, problems);
        for (String path : fixed.keySet()) {
            if (grid.containsKey(path) || zip.containsKey(path)) {
                problems.add(new FieldProblem(source, 0, 0, "set." + path, "is also a sweep axis; expected it in one place"));
            }
        }
        if (zip.values().stream().map(List::size).distinct().count() > 1) {
            problems.add(new FieldProblem(source, 0, 0, "zip", "expected lists of equal length"));
        }
        List<Long> seeds = new ArrayList<>();
        if (root.path("seeds").isArray() && root.path("seeds").size() > 0) {
            root.path("seeds").forEach(seed -> {
                if (seed.canConvertToLong() && seed.asLong() >= 0) {
                    seeds.add(seed.asLong());
                } else {
                    problems.add(new FieldProblem(source, 0, 0, "seeds", "expected non-negative integers, got " + seed));
                }
            });
        } else {
            problems.add(new FieldProblem(source, 0, 0, "seeds", "expected a non-empty list of seeds"));
        }
        List<String> metrics = new ArrayList<>();
        if (root.path("metrics").isArray() && root.path("metrics").size() > 0) {
            root.path("metrics").forEach(metric -> metrics.add(metric.asText()));
        } else {
            problems.add(new FieldProblem(source, 0, 0, "metrics", "expected a non-empty list of metric names"));
        }
        List<String> curves = new ArrayList<>();
        if (root.path("curves").isArray()) {
            root.path("curves").forEach(curve -> curves.add(curve.asText()));
        } else if (!root.path("curves").isMissingNode()) {
            problems.add(new FieldProblem(source, 0, 0, "curves", "expected a list of rounds.csv columns to plot per round"));
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        Path base = file.toAbsolutePath().getParent().resolve(root.path("base").asText()).normalize();
        return new StudySpec(name, base, points(grid, zip, fixed), seeds, metrics, curves);
    }

    /** The {@code set} mapping: field path → one value (a scalar, or a list or mapping as YAML writes it). */
    private static Map<String, String> fixed(JsonNode node, String source, List<FieldProblem> problems) {
        Map<String, String> fixed = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return fixed;
        }
        if (!node.isObject()) {
            problems.add(new FieldProblem(source, 0, 0, "set", "expected a mapping of scenario field paths to values"));
            return fixed;
        }
        node.fields().forEachRemaining(entry -> fixed.put(entry.getKey(),
                entry.getValue().isTextual() ? entry.getValue().asText() : entry.getValue().toString()));
        return fixed;
    }

    private static Map<String, List<String>> axes(JsonNode node, String field, String source, List<FieldProblem> problems) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return axes;
        }
        if (!node.isObject()) {
            problems.add(new FieldProblem(source, 0, 0, field, "expected a mapping of scenario field paths to lists of values"));
            return axes;
        }
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isArray() || entry.getValue().size() == 0) {
                problems.add(new FieldProblem(source, 0, 0, field + "." + entry.getKey(), "expected a non-empty list of values"));
                return;
            }
            List<String> values = new ArrayList<>();
            entry.getValue().forEach(value -> values.add(value.isTextual() ? value.asText() : value.toString()));
            axes.put(entry.getKey(), values);
        });
        return axes;
    }

    /** Every combination of the grid axes, each with every zipped tuple, in a fixed order. */
    private static List<Point> points(Map<String, List<String>> grid, Map<String, List<String>> zip,
                                      Map<String, String> fixed) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : axis.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(partial);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            combinations = next;
        }
        int tuples = zip.values().stream().mapToInt(List::size).findFirst().orElse(1);
        List<Point> points = new ArrayList<>();
        for (Map<String, String> combination : combinations) {
            for (int t = 0; t < tuples; t++) {
                Map<String, String> values = new LinkedHashMap<>(combination);
                for (Map.Entry<String, List<String>> axis : zip.entrySet()) {
                    values.put(axis.getKey(), axis.getValue().get(t));
                }
                points.add(new Point(points.size(), values, fixed));
            }
        }
        return points;
    }

    private static ScenarioException problem(String source, String path, String message) {
        return new ScenarioException(List.of(new FieldProblem(source, 0, 0, path, message)));
    }
}
