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
import java.util.List;

/**
 * Reads a gain trace: CSV with the header {@code round,device,gain_db} and one row per round and
 * device of the run (extra rounds or devices are ignored). Every problem is reported with the
 * file's line.
 */
public final class GainTraceReader {
    private static final int MAX_PROBLEMS = 20;

    private GainTraceReader() {
    }

    public static GainTrace read(Path file, int rounds, int devices) throws ScenarioException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(List.of(new FieldProblem(source, 0, 0, "", "no such trace file (channel.trace_file)")));
        }
        List<FieldProblem> problems = new ArrayList<>();
        double[][] gains = new double[rounds][devices];
        boolean[][] seen = new boolean[rounds][devices];
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<JsonNode> rows = mapper.readerFor(JsonNode.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (rows.hasNextValue() && problems.size() < MAX_PROBLEMS) {
                // Where the parser stands before the row is where the row starts.
                JsonLocation location = rows.getCurrentLocation();
                JsonNode row = rows.nextValue();
                int line = location == null ? 0 : location.getLineNr();
                Integer round = integer(row, "round", source, line, problems);
                Integer device = integer(row, "device", source, line, problems);
                Double gainDb = number(row, "gain_db", source, line, problems);
                if (round == null || device == null || gainDb == null || round >= rounds || device >= devices) {
                    continue;
                }
                if (seen[round][device]) {
                    problems.add(new FieldProblem(source, line, 0, "", "round " + round + ", device " + device
                            + " appears twice"));
                }
                seen[round][device] = true;
                gains[round][device] = Math.pow(10, gainDb / 10);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new FieldProblem(source, 0, 0, "", "not a readable CSV trace: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
        if (problems.isEmpty()) {
            for (int r = 0; r < rounds && problems.size() < MAX_PROBLEMS; r++) {
                for (int k = 0; k < devices && problems.size() < MAX_PROBLEMS; k++) {
                    if (!seen[r][k]) {
                        problems.add(new FieldProblem(source, 0, 0, "", "no gain for round " + r + ", device " + k
                                + "; the trace needs every round (0.." + (rounds - 1) + ") and device (0.." + (devices - 1) + ")"));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        return new GainTrace(gains);
    }

    private static Integer integer(JsonNode row, String column, String source, int line, List<FieldProblem> problems) {
        String text = row.path(column).asText("").trim();
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new FieldProblem(source, line, 0, column, "expected a non-negative integer, got " + Echo.quoted(text)));
        return null;
    }

    private static Double number(JsonNode row, String column, String source, int line, List<FieldProblem> problems) {
        String text = row.path(column).asText("").trim();
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value) && value > -400 && value < 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new FieldProblem(source, line, 0, column, "expected a gain in dB between -400 and 100, got " + Echo.quoted(text)));
        return null;
    }
}
