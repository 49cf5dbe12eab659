package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code devices.trace_file}: CSV with a header naming {@code device} and any of {@code class},
 * the per-device parameters of {@link DeviceTrace#PARAMETERS} and {@code offline} (rounds as
 * {@code 3;7-9}), one row per device; an empty cell leaves the class's value. Every bad row is
 * reported with the file's line, like the gain traces.
 */
public final class DeviceTraceReader {
    private static final int MAX_PROBLEMS = 20;
    private static final String FIELD = "devices.trace_file";

    private DeviceTraceReader() {
    }

    public static DeviceTrace read(Path file, Scenario scenario) throws ScenarioException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(List.of(new FieldProblem(source, 0, 0, "", "no such device trace file (" + FIELD + ")")));
        }
        int devices = scenario.devices().count();
        Set<String> classes = new java.util.HashSet<>();
        scenario.devices().classes().forEach(c -> classes.add(c.name()));
        List<FieldProblem> problems = new ArrayList<>();
        Map<Integer, DeviceTrace.Row> rows = new HashMap<>();
        Map<Integer, Integer> lineOf = new HashMap<>();
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            boolean headerChecked = false;
            while (it.hasNextValue() && problems.size() < MAX_PROBLEMS) {
                JsonLocation location = it.getCurrentLocation();
                JsonNode row = it.nextValue();
                int line = location == null ? 0 : location.getLineNr();
                if (!headerChecked) {
                    headerChecked = true;
                    if (!header(row, source, problems)) {
                        break;
                    }
                }
                Integer device = device(row, source, line, devices, problems);
                Optional<String> deviceClass = Optional.empty();
                String named = row.path("class").asText("").trim();
                if (!named.isEmpty()) {
                    if (classes.contains(named)) {
                        deviceClass = Optional.of(named);
                    } else {
                        problems.add(new FieldProblem(source, line, 0, "class", "expected one of the classes of devices.classes "
                                + (classes.isEmpty() ? "(there are none)" : new java.util.TreeSet<>(classes).toString())
                                + ", got " + Echo.quoted(named)));
                    }
                }
                Map<String, Double> parameters = new LinkedHashMap<>();
                for (String column : DeviceTrace.PARAMETERS) {
                    String text = row.path(column).asText("").trim();
                    if (!text.isEmpty()) {
                        parameter(column, text, source, line, problems).ifPresent(value -> parameters.put(column, value));
                    }
                }
                Double min = parameters.get("cpu_min_hz");
                Double max = parameters.get("cpu_max_hz");
                if (min != null && max != null && min > max) {
                    problems.add(new FieldProblem(source, line, 0, "cpu_min_hz", "expected at most cpu_max_hz ("
                            + RangeChecks.num(max) + "), got " + RangeChecks.num(min)));
                }
                Optional<BitSet> offline = Optional.empty();
                String windows = row.path("offline").asText("").trim();
                if (!windows.isEmpty()) {
                    offline = offline(windows, source, line, problems);
                }
                if (device == null) {
                    continue;
                }
                if (rows.containsKey(device)) {
                    problems.add(new FieldProblem(source, line, 0, "device", "device " + device
                            + " appears twice (first on line " + lineOf.get(device) + ")"));
                    continue;
                }
                rows.put(device, new DeviceTrace.Row(device, deviceClass, parameters, offline));
                lineOf.put(device, line);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new FieldProblem(source, 0, 0, "", "not a readable CSV device trace: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
        if (problems.isEmpty() && rows.isEmpty()) {
            problems.add(new FieldProblem(source, 0, 0, "", "expected a header with a device column and one row per device"));
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        return new DeviceTrace(rows);
    }

    private static boolean header(JsonNode row, String source, List<FieldProblem> problems) {
        boolean ok = row.has("device");
        if (!ok) {
            problems.add(new FieldProblem(source, 1, 0, "", "expected a header with a device column"));
        }
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("device") && !name.equals("class") && !name.equals("offline")
                    && !DeviceTrace.PARAMETERS.contains(name)) {
                problems.add(new FieldProblem(source, 1, 0, name, "unknown column; expected device, class, "
                        + String.join(", ", DeviceTrace.PARAMETERS) + ", offline"));
                ok = false;
            }
        }
        return ok;
    }

    private static Integer device(JsonNode row, String source, int line, int devices, List<FieldProblem> problems) {
        String text = row.path("device").asText("").trim();
        try {
            int value = Integer.parseInt(text);
            if (value >= 0 && value < devices) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new FieldProblem(source, line, 0, "device", "expected a device number from 0 to " + (devices - 1)
                + " (devices.count = " + devices + "), got " + Echo.quoted(text)));
        return null;
    }

    /** The same ranges as the scenario's fields of these names. */
    private static Optional<Double> parameter(String column, String text, String source, int line,
                                              List<FieldProblem> problems) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        String expected = switch (column) {
            case "max_power_dbm" -> value >= -50 && value <= 60 ? null : "a power from -50 to 60 dBm";
            case "samples" -> value >= 1 && value <= 1e9 && value == Math.rint(value) ? null : "an integer from 1 to 1000000000";
            case "local_epochs" -> value >= 1 && value <= 10_000 && value == Math.rint(value) ? null : "an integer from 1 to 10000";
            case "kappa" -> value > 0 && value <= 1 ? null : "a number greater than 0 and at most 1";
            case "flops_per_cycle" -> value > 0 && value <= 1e6 ? null : "a number greater than 0 and at most 1000000";
            case "energy_budget_j" -> value > 0 && value <= 1e12 ? null : "a number greater than 0 and at most 1e12";
            default -> value > 0 && value <= 1e12 ? null : "a frequency greater than 0 and at most 1e12 Hz";
        };
        if (!Double.isFinite(value) || expected != null) {
            problems.add(new FieldProblem(source, line, 0, column, "expected " + (expected == null ? "a finite number" : expected)
                    + ", got " + Echo.quoted(text)));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** Rounds separated by ';', each a number or a range a-b (inclusive). */
    private static Optional<BitSet> offline(String windows, String source, int line, List<FieldProblem> problems) {
        BitSet rounds = new BitSet();
        for (String part : windows.split(";")) {
            String window = part.trim();
            try {
                int dash = window.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? window : window.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(window.substring(dash + 1).trim());
                if (from < 0 || to < from || to > 10_000_000) {
                    throw new NumberFormatException();
                }
                rounds.set(from, to + 1);
            } catch (NumberFormatException e) {
                problems.add(new FieldProblem(source, line, 0, "offline", "expected rounds such as 3;7-9 (non-negative, "
                        + "ranges from low to high), got " + Echo.quoted(window)));
                return Optional.empty();
            }
        }
        return Optional.of(rounds);
    }
}
