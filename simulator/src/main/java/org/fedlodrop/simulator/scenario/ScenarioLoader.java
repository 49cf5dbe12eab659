package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.simulator.extension.ExtensionFailure;
import org.fedlodrop.simulator.extension.ExtensionKind;
import org.fedlodrop.simulator.extension.Extensions;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.fedlodrop.simulator.fleet.Fleet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a scenario file (YAML, or JSON by extension), applies {@code --set} overrides, fills
 * defaults, and validates, reporting every problem at once with file, line, column and field path.
 * Nothing runs on a scenario that did not pass here.
 */
public final class ScenarioLoader {
    private ScenarioLoader() {
    }

    /** With fedlodrop's own extensions only. */
    public static LoadedScenario load(Path file, List<String> overrides) throws ScenarioException {
        return load(file, overrides, Extensions.builtIn());
    }

    /** With the given extensions: the built-ins and the plugins of the plugin directory (docs/extending.md). */
    public static LoadedScenario load(Path file, List<String> overrides, Extensions extensions) throws ScenarioException {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw single(source, "no such file");
        } catch (IOException e) {
            throw single(source, "cannot read the file: " + e.getMessage());
        }
        return parse(source, bytes, overrides, extensions);
    }

    /** Loads from bytes with fedlodrop's own extensions only. */
    public static LoadedScenario parse(String source, byte[] bytes, List<String> overrides) throws ScenarioException {
        return parse(source, bytes, overrides, Extensions.builtIn());
    }

    /** Loads from bytes; {@code source} names them in messages and decides YAML or JSON by its extension. */
    public static LoadedScenario parse(String source, byte[] bytes, List<String> overrides, Extensions extensions)
            throws ScenarioException {
        ObjectMapper mapper = ScenarioMappers.forFile(source);
        List<FieldProblem> problems = new ArrayList<>();
        LocatedTree tree = readTree(mapper, source, decode(source, bytes), problems);
        ObjectNode user = topLevel(source, tree);
        Locator locator = new Locator(source, tree, applyOverrides(user, overrides, problems));
        Scenario scenario = check(bind(source, user, mapper, locator, problems), extensions, locator, problems);
        // Relative data paths are relative to the scenario file; the resolved scenario keeps them absolute.
        Path base = Path.of(source).toAbsolutePath().getParent();
        Optional<GainTrace> trace = Optional.empty();
        if (scenario.channel().traced()) {
            Path file = base.resolve(scenario.channel().traceFile()).normalize();
            scenario = scenario.withChannel(scenario.channel().withTraceFile(file.toString()));
            trace = Optional.of(GainTraceReader.read(file, scenario.rounds(), scenario.devices().count()));
        }
        requireNd4j(source, scenario);
        Optional<DeviceTrace> deviceTrace = Optional.empty();
        if (!scenario.devices().traceFile().isBlank()) {
            Path file = base.resolve(scenario.devices().traceFile()).normalize();
            if (!Files.isRegularFile(file)) {
                // Located in the scenario, where the user named it.
                throw new ScenarioException(List.of(locator.locate(new RangeChecks.Violation("devices.trace_file",
                        "no such device trace file: " + file))));
            }
            scenario = scenario.withDevices(scenario.devices().withTraceFile(file.toString()));
            deviceTrace = Optional.of(DeviceTraceReader.read(file, scenario));
        }
        // Dealt once, here: the run, its learning task and the reference arms take this fleet.
        Fleet fleet = FleetDealing.deal(scenario, new org.fedlodrop.simulator.kernel.RandomStreams(scenario.seed()),
                deviceTrace);
        TextInputs text = textInputs(source, base, scenario);
        FamilyInputs family = familyInputs(source, base, text.scenario(), extensions);
        if (text.files().isPresent()) {
            checkTextSizes(source, family.scenario(), text.files().get(), fleet.totalSamples());
        }
        checkRank(source, family.scenario(), family.family());
        checkBackhaulTime(source, family.scenario());
        return new LoadedScenario(family.scenario(), source, bytes, extensions, trace, text.files(), deviceTrace, fleet,
                family.family());
    }

    /** The document's top: a mapping of sections. */
    private static ObjectNode topLevel(String source, LocatedTree tree) throws ScenarioException {
        JsonNode root = tree.root();
        if (root == null) {
            throw single(source, "the file is empty; expected a mapping of scenario sections such as name, seed, rounds");
        }
        if (!root.isObject()) {
            throw single(source, "expected a mapping of scenario sections (name, seed, rounds, ...) at the top, got "
                    + (root.isArray() ? "a list" : "a single value"));
        }
        return (ObjectNode) root;
    }

    /** A scenario bound from the user's fields over the defaults, and the fields whose shape was wrong. */
    private record Bound(Scenario scenario, List<RangeChecks.Violation> shapeViolations) {
    }

    /**
     * The user's tree checked against the records' shape (every problem added, located), the wrong fields left
     * to their defaults, device classes' inherited fields and list elements' defaults filled, then bound.
     */
    private static Bound bind(String source, ObjectNode user, ObjectMapper mapper, Locator locator,
                              List<FieldProblem> problems) throws ScenarioException {
        ModelSection.gather(user);
        List<RangeChecks.Violation> shapeViolations = SchemaCheck.check(Scenario.class, user);
        shapeViolations.forEach(v -> problems.add(locator.locate(v)));
        // Fields of the wrong shape fall back to their defaults, so that the range checks can
        // still report every other problem in the same pass.
        shapeViolations.forEach(v -> remove(user, v.path()));
        inheritClassFields(user, mapper);
        fillElementDefaults(Scenario.class, user, mapper);
        ObjectNode merged = mapper.valueToTree(Scenario.defaults());
        merge(merged, user);
        try {
            return new Bound(mapper.treeToValue(merged, Scenario.class), shapeViolations);
        } catch (JsonProcessingException e) {
            // The schema check should have caught this; report it located at the top rather than fail.
            problems.add(new FieldProblem(source, 0, 0, "", "cannot bind the scenario: " + firstLine(e.getOriginalMessage())));
            throw new ScenarioException(problems);
        }
    }

    /** Range and consistency checks and the extensions' types and settings; every problem of the file at once. */
    private static Scenario check(Bound bound, Extensions extensions, Locator locator, List<FieldProblem> problems)
            throws ScenarioException {
        List<RangeChecks.Violation> violations = new ArrayList<>(bound.scenario().rangeViolations());
        Scenario scenario = ExtensionSpec.resolve(bound.scenario(), extensions, violations);
        for (RangeChecks.Violation violation : violations) {
            boolean reported = bound.shapeViolations().stream().anyMatch(v -> v.path().equals(violation.path()));
            if (!reported) {
                problems.add(locator.locate(violation));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparing(FieldProblem::source)
                    .thenComparingInt(FieldProblem::line).thenComparingInt(FieldProblem::column));
            throw new ScenarioException(problems);
        }
        return scenario;
    }

    /** Before ND4J is first touched: on a GPU without kernels its cuda backend fails natively. */
    private static void requireNd4j(String source, Scenario scenario) throws ScenarioException {
        if (scenario.data().workload() != Workload.NONE) {
            Optional<String> gpu = org.fedlodrop.models.net.CudaCompatibility.problem();
            if (gpu.isPresent()) {
                throw new ScenarioException(List.of(new FieldProblem(source, 0, 0, "data.workload",
                        "a learning workload needs ND4J, and " + gpu.get())));
            }
        }
    }

    /** The scenario with its text files resolved, and the files read and checked (none without a text workload). */
    private record TextInputs(Scenario scenario, Optional<TextWorkloadFiles> files) {
    }

    private static TextInputs textInputs(String source, Path base, Scenario scenario) throws ScenarioException {
        if (scenario.data().workload() != Workload.TEXT_CLASSIFICATION) {
            return new TextInputs(scenario, Optional.empty());
        }
        Path train;
        Path test;
        if (scenario.data().source() != DataSource.NONE) {
            // A corpus from the cache: the resolved scenario keeps naming the corpus, not the cache's files.
            Path directory = corpusDirectory(source, scenario.data().source());
            train = directory.resolve(Corpus.TRAIN);
            test = directory.resolve(Corpus.TEST);
        } else {
            train = base.resolve(scenario.data().trainFile()).normalize();
            test = base.resolve(scenario.data().testFile()).normalize();
        }
        String trainName = scenario.data().source() == DataSource.NONE ? train.toString() : "";
        String testName = scenario.data().source() == DataSource.NONE ? test.toString() : "";
        scenario = scenario.withData(scenario.data().withFiles(trainName, testName));
        return new TextInputs(scenario, Optional.of(TextWorkloadFiles.read(scenario.data(), train, test)));
    }

    /** The scenario with the family's files resolved, and the family ready to build (none without a workload). */
    private record FamilyInputs(Scenario scenario, Optional<ModelFamily.Loaded> family) {
    }

    /** Reads what the model family's settings name; its problems located in the scenario or in their files. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static FamilyInputs familyInputs(String source, Path base, Scenario scenario, Extensions extensions)
            throws ScenarioException {
        Optional<ModelFamily.Workload> workload = ExtensionSpec.familyWorkload(scenario.data().workload());
        if (workload.isEmpty()) {
            return new FamilyInputs(scenario, Optional.empty());
        }
        Extensions.Registered registered = ExtensionSpec.registered(scenario, ExtensionKind.MODEL_FAMILY, extensions);
        ModelFamily family = (ModelFamily) registered.extension();
        Record settings = ExtensionSpec.bind(scenario, ExtensionKind.MODEL_FAMILY, extensions);
        ModelFamily.Loaded loaded;
        try {
            loaded = family.load(settings, scenario.model().lora(), workload.get(), base);
        } catch (FamilyInputException e) {
            throw new ScenarioException(e.problems().stream().map(p -> new FieldProblem(
                    p.file().isEmpty() ? source : p.file(), p.line(), 0, p.field().isEmpty() ? "" : "model." + p.field(),
                    p.message())).toList());
        } catch (RuntimeException | LinkageError e) {
            if (registered.builtIn()) {
                throw e; // ours: a bug, reported as one
            }
            throw single(source, "model.family", ExtensionFailure.name(registered) + " failed while reading its files: " + e);
        }
        if (loaded == null || loaded.settings() == null) {
            throw single(source, "model.family", ExtensionFailure.name(registered) + " loaded nothing (load returned null)");
        }
        JsonNode resolved = ScenarioMappers.yaml().valueToTree(loaded.settings());
        return new FamilyInputs(scenario.withModel(scenario.model().withSettings(resolved)), Optional.of(loaded));
    }

    /** The text files against what the scenario asks of them: enough training texts, labels, groups. */
    private static void checkTextSizes(String source, Scenario scenario, TextWorkloadFiles text, long needed)
            throws ScenarioException {
        List<FieldProblem> problems = new ArrayList<>();
        if (text.train().size() < needed) {
            boolean classes = !scenario.devices().classes().isEmpty();
            problems.add(new FieldProblem(source, 0, 0, classes ? "devices.classes" : "data.samples_per_device",
                    "the training file " + text.trainFile() + " has " + text.train().size() + " texts; "
                    + (classes ? "the classes' samples × their devices" : "data.samples_per_device × devices.count")
                    + " = " + needed));
        }
        java.util.Set<String> known = new java.util.HashSet<>(text.train().labels());
        for (int i = 0; i < text.test().size(); i++) {
            if (!known.contains(text.test().labels().get(i))) {
                problems.add(new FieldProblem(text.testFile().toString(), text.test().lines()[i], 0, "",
                        "label " + Echo.quoted(text.test().labels().get(i)) + " never occurs in the training file "
                        + text.trainFile() + " (data.test_file)"));
                break;
            }
        }
        if (known.size() < 2) {
            problems.add(new FieldProblem(text.trainFile().toString(), 0, 0, "", "expected at least 2 distinct labels, got "
                    + known + " (data.train_file)"));
        }
        if (scenario.data().partition() == PartitionScheme.BY_GROUP && !text.train().hasGroups()) {
            problems.add(new FieldProblem(source, 0, 0, "data.partition", "by-group needs a group column \""
                    + scenario.data().groupColumn() + "\" in the training file " + text.trainFile() + " (data.group_column)"));
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
    }

    /** The cache directory of a fetched corpus; a corpus not fetched yet is bad input that says how to fetch it. */
    private static Path corpusDirectory(String source, DataSource dataSource) throws ScenarioException {
        Corpus corpus = Corpus.find(EnumLabels.label(dataSource)).orElseThrow();
        Path root = Corpus.defaultCacheRoot();
        if (!corpus.isFetched(root)) {
            throw new ScenarioException(List.of(new FieldProblem(source, 0, 0, "data.source", "the corpus "
                    + corpus.label() + " is not in " + corpus.directory(root) + "; fetch it first with: fedlodrop data fetch "
                    + corpus.label())));
        }
        return corpus.directory(root);
    }



    private static String decode(String source, byte[] bytes) throws ScenarioException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw single(source, "not UTF-8 text; a scenario file is YAML or JSON text");
        }
    }

    private static LocatedTree readTree(ObjectMapper mapper, String source, String text, List<FieldProblem> problems)
            throws ScenarioException {
        String format = mapper.getFactory().getFormatName();
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            LocatedTree tree = LocatedTree.read(parser, problems, source);
            if (parser.nextToken() != null) {
                throw single(source, "more than one document; expected a single " + format + " document");
            }
            return tree;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            int column = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getColumnNr());
            java.util.regex.Matcher special = java.util.regex.Pattern.compile("Malformed numeric value '([-+]?\\.(?:nan|NaN|NAN|inf|Inf|INF))'")
                    .matcher(String.valueOf(e.getOriginalMessage()));
            if (special.find()) {
                // YAML's not-a-number and infinities: a number was meant, just not a finite one.
                throw new ScenarioException(List.of(new FieldProblem(source, line, column, "",
                        "expected a finite number, got " + special.group(1))));
            }
            throw new ScenarioException(List.of(new FieldProblem(source, line, column, "",
                    "malformed " + format + ": " + parserMessage(e.getOriginalMessage()))));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML signals some malformed input with its own unchecked exceptions.
            throw single(source, "malformed " + format + ": " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    /** Applies {@code PATH=VALUE} overrides to the tree; returns path -> the override as written. */
    private static Map<String, String> applyOverrides(ObjectNode root, List<String> overrides, List<FieldProblem> problems) {
        Map<String, String> applied = new LinkedHashMap<>();
        ObjectMapper yaml = ScenarioMappers.yaml();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            String source = "--set " + override;
            if (eq <= 0) {
                problems.add(new FieldProblem(source, 0, 0, "", "expected PATH=VALUE, e.g. devices.count=20"));
                continue;
            }
            String path = override.substring(0, eq).trim();
            String valueText = override.substring(eq + 1);
            if (valueText.strip().matches("(?i)[-+]?\\.(nan|inf)")) {
                // YAML's not-a-number and infinities: a value was given, just not a usable one.
                problems.add(new FieldProblem(source, 0, 0, path, "expected a finite number, got " + valueText.strip()));
                continue;
            }
            JsonNode value;
            try {
                value = valueText.isBlank() ? null : yaml.readTree(valueText);
            } catch (JsonProcessingException | RuntimeException e) {
                value = null;
            }
            if (value == null || value.isMissingNode()) {
                problems.add(new FieldProblem(source, 0, 0, path, "expected a value after '=' (YAML: a number, a word, "
                        + "or a flow list such as [{x_m: 0}, {x_m: 500}])"));
                continue;
            }
            String[] parts = path.split("\\.", -1);
            ObjectNode parent = root;
            boolean ok = true;
            for (int i = 0; i < parts.length - 1 && ok; i++) {
                JsonNode next = parent.get(parts[i]);
                if (next == null) {
                    next = parent.putObject(parts[i]);
                }
                if (next.isObject()) {
                    parent = (ObjectNode) next;
                } else {
                    ok = false;
                }
            }
            if (!ok || parts[parts.length - 1].isEmpty()) {
                problems.add(new FieldProblem(source, 0, 0, path, "not a field path of the scenario"));
                continue;
            }
            parent.set(parts[parts.length - 1], value);
            applied.put(path, override);
        }
        return applied;
    }

    /**
     * Removes the node at a field path such as {@code topology.cells[1].x_m}, so that its default
     * applies; a bad list element takes its whole list with it.
     */
    private static void remove(ObjectNode root, String path) {
        int dot = path.lastIndexOf('.');
        String last = path.substring(dot + 1);
        if (last.endsWith("]")) {
            remove(root, path.substring(0, path.lastIndexOf('[')));
            return;
        }
        JsonNode parent = root;
        if (dot >= 0) {
            for (String part : path.substring(0, dot).split("\\.")) {
                parent = child(parent, part);
            }
        }
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        }
    }

    private static JsonNode child(JsonNode node, String part) {
        if (node == null) {
            return null;
        }
        int bracket = part.indexOf('[');
        if (bracket < 0) {
            return node.get(part);
        }
        JsonNode list = node.get(part.substring(0, bracket));
        int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
        return list == null ? null : list.get(index);
    }

    /** What a device class takes, when it does not say, from the rest of the scenario (JSON pointers). */
    private static final Map<String, String> INHERITED = new java.util.LinkedHashMap<>();

    static {
        INHERITED.put("cpu_min_hz", "/devices/cpu_min_hz");
        INHERITED.put("cpu_max_hz", "/devices/cpu_max_hz");
        INHERITED.put("flops_per_cycle", "/devices/flops_per_cycle");
        INHERITED.put("kappa", "/devices/kappa");
        INHERITED.put("max_power_dbm", "/devices/max_power_dbm");
        INHERITED.put("mean_online_rounds", "/devices/mean_online_rounds");
        INHERITED.put("mean_offline_rounds", "/devices/mean_offline_rounds");
        INHERITED.put("energy_budget_j", "/budgets/energy_j");
        INHERITED.put("samples", "/data/samples_per_device");
        INHERITED.put("local_epochs", "/training/local_epochs");
    }

    /**
     * A device class inherits every parameter it does not give from the fleet's (as the file and its
     * defaults set them), so that the resolved scenario lists each class in full.
     */
    private static void inheritClassFields(ObjectNode user, ObjectMapper mapper) {
        if (!(user.path("devices").path("classes") instanceof com.fasterxml.jackson.databind.node.ArrayNode classes)
                || classes.isEmpty()) {
            return;
        }
        ObjectNode effective = mapper.valueToTree(Scenario.defaults());
        merge(effective, user.deepCopy());
        for (JsonNode item : classes) {
            if (item instanceof ObjectNode deviceClass) {
                INHERITED.forEach((field, pointer) -> {
                    if (!deviceClass.has(field)) {
                        deviceClass.set(field, effective.at(pointer).deepCopy());
                    }
                });
            }
        }
    }

    /**
     * List elements that are records get their own defaults: {@code cells: [{x_m: 100}]} means a cell
     * at (100, 0). The element type's static {@code defaults()} gives them.
     */
    private static void fillElementDefaults(Class<?> type, ObjectNode node, ObjectMapper mapper) {
        SchemaCheck.fields(type).forEach((name, component) -> {
            JsonNode value = node.get(name);
            if (value instanceof ObjectNode object && component.getType().isRecord()) {
                fillElementDefaults(component.getType(), object, mapper);
                // A section absent from the defaults (topology.backhaul) gets its record's own defaults.
                ObjectNode filled = ownDefaults(component.getType(), mapper);
                if (filled != null) {
                    merge(filled, object);
                    node.set(name, filled);
                }
            } else if (value instanceof com.fasterxml.jackson.databind.node.ArrayNode array
                    && component.getType() == List.class) {
                Class<?> element = SchemaCheck.elementType(component.getGenericType());
                if (!element.isRecord()) {
                    return;
                }
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i) instanceof ObjectNode item) {
                        try {
                            ObjectNode filled = mapper.valueToTree(element.getMethod("defaults").invoke(null));
                            merge(filled, item);
                            array.set(i, filled);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(element + " needs a static defaults()", e);
                        }
                    }
                }
            }
        });
    }

    /** The tree of {@code type}'s static {@code defaults()}, or null where it has none. */
    private static ObjectNode ownDefaults(Class<?> type, ObjectMapper mapper) {
        java.lang.reflect.Method defaults;
        try {
            defaults = type.getMethod("defaults");
        } catch (NoSuchMethodException e) {
            return null;
        }
        try {
            return mapper.valueToTree(defaults.invoke(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has an unusable defaults()", e);
        }
    }

    static void merge(ObjectNode base, ObjectNode override) {
        for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode existing = base.get(entry.getKey());
            if (existing instanceof ObjectNode baseChild && entry.getValue() instanceof ObjectNode overrideChild) {
                merge(baseChild, overrideChild);
            } else {
                base.set(entry.getKey(), entry.getValue());
            }
        }
    }

    /** {@code model.rank} against the largest rank the family's adapted layers allow. */
    private static void checkRank(String source, Scenario scenario, Optional<ModelFamily.Loaded> family)
            throws ScenarioException {
        Optional<ModelFamily.RankLimit> limit = family.flatMap(ModelFamily.Loaded::rankLimit);
        if (limit.isPresent() && scenario.model().rank() > limit.get().most()) {
            throw single(source, "model.rank", "expected at most " + limit.get().setBy() + " (" + limit.get().most()
                    + "), got " + scenario.model().rank());
        }
    }

    /** A round that ends with a cloud merge must leave its devices some of the latency budget (docs/hierarchy.md). */
    private static void checkBackhaulTime(String source, Scenario scenario) throws ScenarioException {
        if (!scenario.topology().hierarchical()) {
            return;
        }
        Optional<org.fedlodrop.models.profile.ModelProfile> profile =
                org.fedlodrop.models.profile.ModelCatalogue.find(scenario.model().profile());
        if (profile.isEmpty()) {
            return; // model.profile's own check reports it
        }
        org.fedlodrop.simulator.backhaul.CloudTransfers merge = scenario.cloudTransfers(profile.get());
        if (merge.roundTripS() >= scenario.budgets().latencyS()) {
            throw single(source, "topology.backhaul.links", "expected links fast enough for a cloud merge within "
                    + "budgets.latency_s (" + RangeChecks.num(scenario.budgets().latencyS()) + " s), but each cell's model ("
                    + RangeChecks.num(merge.bits() / 1e6) + " Mbit) takes " + RangeChecks.num(merge.roundTripS())
                    + " s to the cloud and back, leaving the devices no time");
        }
    }

    private static ScenarioException single(String source, String field, String message) {
        return new ScenarioException(List.of(new FieldProblem(source, 0, 0, field, message)));
    }

    private static ScenarioException single(String source, String message) {
        return new ScenarioException(List.of(new FieldProblem(source, 0, 0, "", message)));
    }

    /**
     * SnakeYAML's messages interleave what went wrong with source excerpts (indented lines); keep
     * the former, since the location is reported separately.
     */
    private static String parserMessage(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String text = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).reduce((a, b) -> a + "; " + b).orElse(message.strip());
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String line = message.strip().lines().findFirst().orElse("unreadable input");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Finds where a field stands: in an override, in the file, or nowhere (a default). */
    private record Locator(String source, LocatedTree tree, Map<String, String> overridden) {
        FieldProblem locate(RangeChecks.Violation violation) {
            String path = violation.path();
            String override = overridden.get(path);
            // An element of a list set whole (model.bit_widths[1] of --set model.bit_widths=[8, 99]) is the override's.
            for (String whole = path; override == null && whole.endsWith("]") && whole.contains("[");
                 whole = whole.substring(0, whole.lastIndexOf('['))) {
                override = overridden.get(whole.substring(0, whole.lastIndexOf('[')));
            }
            // A field of a section set whole (federation.staleness_a of --set federation={mode: buffered, ...}) too.
            for (String whole = path; override == null && whole.contains(".");
                 whole = whole.substring(0, whole.lastIndexOf('.'))) {
                override = overridden.get(whole.substring(0, whole.lastIndexOf('.')));
            }
            if (override != null) {
                return new FieldProblem("--set " + override, 0, 0, path, violation.message());
            }
            LocatedTree.Place place = tree.place(path);
            if (place != null) {
                return new FieldProblem(source, place.line(), place.column(), path, violation.message());
            }
            return new FieldProblem(source, 0, 0, path, violation.message() + " (from the defaults)");
        }
    }
}
