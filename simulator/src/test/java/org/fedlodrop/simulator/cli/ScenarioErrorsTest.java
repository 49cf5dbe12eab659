package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad scenario gives located messages and exit code 2, never a stack trace. */
class ScenarioErrorsTest {
    @TempDir
    static Path temp;

    /** Each case's file content as bytes: text cases as UTF-8, the rest as given. */
    static Stream<Arguments> cases() {
        return texts().map(arguments -> {
            Object[] values = arguments.get();
            if (values[2] instanceof String text) {
                values[2] = text.getBytes(StandardCharsets.UTF_8);
            }
            return Arguments.of(values);
        });
    }

    private static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("malformed YAML", "s.yaml", "rounds: [1, 2\nseed: 3\n", List.of(),
                        List.of("s.yaml:", "malformed YAML")),
                Arguments.of("malformed JSON", "s.json", "{\"rounds\": }", List.of(),
                        List.of("s.json:1:", "malformed JSON")),
                Arguments.of("unknown top-level field", "s.yaml", "name: x\nroundz: 5\n", List.of(),
                        List.of("s.yaml:2:1: roundz: unknown field in scenario; did you mean 'rounds'?; expected one of: name, seed, rounds,")),
                Arguments.of("unknown nested field", "s.yaml", "channel:\n  fadding: rayleigh\n", List.of(),
                        List.of("s.yaml:2:3: channel.fadding: unknown field in 'channel'; did you mean 'fading'?")),
                Arguments.of("text for an integer", "s.yaml", "rounds: many\n", List.of(),
                        List.of("s.yaml:1:1: rounds: expected an integer", "got text 'many'")),
                Arguments.of("integer too large", "s.yaml", "rounds: 99999999999999999999\n", List.of(),
                        List.of("s.yaml:1:1: rounds: expected an integer")),
                Arguments.of("unknown enum value", "s.yaml", "channel:\n  fading: rayleigh-ish\n", List.of(),
                        List.of("channel.fading: unknown fading model 'rayleigh-ish'; expected one of rayleigh, rician, nakagami, none, trace")),
                Arguments.of("scalar for a section", "s.yaml", "devices: 10\n", List.of(),
                        List.of("s.yaml:1:1: devices: expected a mapping with fields count,")),
                Arguments.of("missing value", "s.yaml", "seed:\n", List.of(),
                        List.of("s.yaml:1:1: seed: missing value")),
                Arguments.of("negative bandwidth", "s.yaml", "network:\n  bandwidth_hz: -1.0e6\n", List.of(),
                        List.of("s.yaml:2:3: network.bandwidth_hz: expected a number greater than 0", "got -1000000")),
                Arguments.of("dropout rate of one", "s.yaml", "dropout:\n  rate: 1.0\n", List.of(),
                        List.of("dropout.rate: expected a dropout rate γ in [0, 1), got 1")),
                Arguments.of("dropout rate above its maximum", "s.yaml", "dropout:\n  rate: 0.95\n", List.of(),
                        List.of("dropout.rate: expected at most dropout.max_rate (0.9), got 0.95")),
                Arguments.of("outage probability above one half", "s.yaml", "planner:\n  outage: 0.6\n", List.of(),
                        List.of("s.yaml:2:3: planner.outage: expected an outage probability ε in (0, 0.5], or 0 for nominal plans, got 0.6")),
                Arguments.of("negative outage probability", "s.yaml", "name: x\n", List.of("--set", "planner.outage=-0.1"),
                        List.of("planner.outage: expected an outage probability ε in (0, 0.5], or 0 for nominal plans, got -0.1")),
                Arguments.of("unknown CSI model", "s.yaml", "csi:\n  model: perfectish\n", List.of(),
                        List.of("s.yaml:2:3: csi.model: expected one of perfect, noisy, stale")),
                Arguments.of("zero devices", "s.yaml", "devices:\n  count: 0\n", List.of(),
                        List.of("s.yaml:2:3: devices.count: expected an integer from 1 to 1000000, got 0")),
                Arguments.of("unknown model profile", "s.yaml", "model:\n  profile: bert\n", List.of(),
                        List.of("model.profile: expected one of gpt2, llama-7b, roberta-base, roberta-large, got 'bert'")),
                Arguments.of("minimum distance beyond the cell", "s.yaml",
                        "topology:\n  cell_radius_m: 50\n  min_distance_m: 60\n", List.of(),
                        List.of("s.yaml:3:3: topology.min_distance_m: expected less than topology.cell_radius_m (50), got 60")),
                Arguments.of("unknown training engine", "s.yaml", "training:\n  engine: cuda\n", List.of(),
                        List.of("s.yaml:2:3: training.engine: expected one of auto, nd4j, java")),
                Arguments.of("cohort of no devices", "s.yaml", "training:\n  cohort: 0\n", List.of(),
                        List.of("s.yaml:2:3: training.cohort: expected an integer from 1 to 100000, got 0")),
                Arguments.of("a rounded download at full precision", "s.yaml", "model:\n  round_download: true\n",
                        List.of(), List.of("s.yaml:2:3: model.round_download: rounds the download to "
                                + "model.bits_per_parameter, which is 32: expected bits_per_parameter below 32, or round_download false")),
                Arguments.of("a bit width of 0", "s.yaml", "model:\n  bit_widths: [8, 0]\n", List.of(),
                        List.of("s.yaml:2:19: model.bit_widths[1]: expected a whole number of bits from 1 to 32 "
                                + "(32: full precision), got 0")),
                Arguments.of("a bit width above full precision", "s.yaml", "model:\n  bit_widths: [4, 64]\n", List.of(),
                        List.of("model.bit_widths[1]: expected a whole number of bits from 1 to 32 (32: full precision), "
                                + "got 64")),
                Arguments.of("a bit width set on the command line", "s.yaml", "name: x\n",
                        List.of("--set", "model.bit_widths=[8, 99]"),
                        List.of("--set model.bit_widths=[8, 99]: model.bit_widths[1]: expected a whole number of bits "
                                + "from 1 to 32 (32: full precision), got 99")),
                Arguments.of("a bit width twice", "s.yaml", "model:\n  bit_widths: [8, 16, 8]\n", List.of(),
                        List.of("model.bit_widths[2]: expected each width once, got 8 again")),
                Arguments.of("a bit width that is not a number", "s.yaml", "model:\n  bit_widths: [8, eight]\n", List.of(),
                        List.of("model.bit_widths[1]: expected an integer")),
                Arguments.of("planned widths with a rounded download", "s.yaml",
                        "model:\n  bit_widths: [8, 32]\n  bits_per_parameter: 8\n  round_download: true\n", List.of(),
                        List.of("model.round_download: expected false with model.bit_widths: a planned width rounds the "
                                + "upload only")),
                Arguments.of("a negative quantisation weight", "s.yaml", "name: x\n",
                        List.of("--set", "planner.bound.c_quant=-1"),
                        List.of("planner.bound.c_quant: expected a number from 0 to 1000000000000, got -1")),
                Arguments.of("a cloud merge every 0 rounds", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    cloud_every: 0\n    links: [{from: cell-0, to: cloud}, {from: cell-1, to: cloud}]\n",
                        List.of(), List.of("s.yaml:4:5: topology.backhaul.cloud_every: expected an integer from 1 to 1000000, got 0")),
                Arguments.of("a negative backhaul capacity", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links:\n      - {from: cell-0, to: cloud, capacity_bps: -1e9}\n      - {from: cell-1, to: cloud}\n",
                        List.of(), List.of("topology.backhaul.links[0].capacity_bps: expected a positive capacity in bit/s, got -1000000000")),
                Arguments.of("a negative backhaul latency", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links:\n      - {from: cell-0, to: cloud}\n      - {from: cell-1, to: cloud, latency_s: -0.1}\n",
                        List.of(), List.of("topology.backhaul.links[1].latency_s: expected a number from 0 to 1000000, got -0.1")),
                Arguments.of("a cell missing from the backhaul", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cloud}]\n", List.of(),
                        List.of("topology.backhaul.links: expected every cell in the backhaul, but cell-1 has no link "
                                + "(topology.cells has 2 cells)")),
                Arguments.of("a disconnected backhaul", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cloud}, {from: cell-1, to: router}]\n", List.of(),
                        List.of("topology.backhaul.links: expected a connected backhaul, but cell-1 has no path to cloud")),
                Arguments.of("a backhaul without the cloud", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cell-1}]\n", List.of(),
                        List.of("topology.backhaul.links: expected a link to the node cloud")),
                Arguments.of("a backhaul link to a cell that does not exist", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cloud}, {from: cell-1, to: cloud}, {from: cell-2, to: cloud}]\n",
                        List.of(), List.of("topology.backhaul.links[2].from: expected a cell from cell-0 to cell-1 "
                                + "(topology.cells has 2), got cell-2")),
                Arguments.of("a backhaul link twice", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cloud}, {from: cell-1, to: cloud}, {from: cloud, to: cell-0}]\n",
                        List.of(), List.of("topology.backhaul.links[2]: expected one link between cloud and cell-0, got a second")),
                Arguments.of("a backhaul link from a node to itself", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cloud}, {from: cell-1, to: cell-1}]\n",
                        List.of(), List.of("topology.backhaul.links[1].to: expected a node other than from (cell-1)")),
                Arguments.of("a backhaul too slow for the latency budget", "s.yaml",
                        "topology:\n  cells: [{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}]\n  backhaul:\n    links: [{from: cell-0, to: cloud, capacity_bps: 1e6}, {from: cell-1, to: cloud}]\n",
                        List.of(), List.of("topology.backhaul.links: expected links fast enough for a cloud merge within "
                                + "budgets.latency_s (123 s), but each cell's model (")),
                Arguments.of("a buffer of no updates", "s.yaml",
                        "dropout:\n  aggregation: masked-mean\nfederation:\n  mode: buffered\n  buffer_size: 0\n", List.of(),
                        List.of("s.yaml:5:3: federation.buffer_size: expected an integer from 1 to 10 (the jobs in flight at "
                                + "most, every device; more could never fill the buffer), got 0")),
                Arguments.of("more jobs in flight than devices", "s.yaml",
                        "dropout:\n  aggregation: masked-mean\nfederation:\n  mode: buffered\n  concurrency: 11\n", List.of(),
                        List.of("s.yaml:5:3: federation.concurrency: expected an integer from 0 to 10, got 11")),
                Arguments.of("a buffer larger than the jobs in flight", "s.yaml",
                        "dropout:\n  aggregation: masked-mean\nfederation:\n  mode: buffered\n  concurrency: 4\n  buffer_size: 5\n",
                        List.of(), List.of("federation.buffer_size: expected an integer from 1 to 4 (the jobs in flight at most, "
                                + "federation.concurrency; more could never fill the buffer), got 5")),
                Arguments.of("an unknown federation mode", "s.yaml", "federation:\n  mode: gossip\n", List.of(),
                        List.of("s.yaml:2:3: federation.mode: expected one of synchronous, buffered")),
                Arguments.of("a negative staleness exponent", "s.yaml", "name: x\n",
                        List.of("--set", "federation={mode: buffered, staleness_a: -1}", "--set", "dropout.aggregation=masked-mean"),
                        List.of("--set federation={mode: buffered, staleness_a: -1}: federation.staleness_a: expected a number greater "
                                + "than 0 and at most 100, got -1")),
                Arguments.of("a server learning rate of 0", "s.yaml", "name: x\n",
                        List.of("--set", "federation={mode: buffered, server_learning_rate: 0}", "--set",
                                "dropout.aggregation=masked-mean"),
                        List.of("--set federation={mode: buffered, server_learning_rate: 0}: federation.server_learning_rate: expected a "
                                + "number greater than 0 and at most 10, got 0")),
                Arguments.of("buffered over a backhaul", "s.yaml",
                        "topology:\n  backhaul:\n    links: [{from: cell-0, to: cloud}]\ndropout:\n  aggregation: masked-mean\n"
                                + "federation:\n  mode: buffered\n", List.of(),
                        List.of("federation.mode: expected synchronous with topology.backhaul")),
                Arguments.of("label shards of no classes", "s.yaml", "data:\n  partition: label-shards\n  classes_per_device: 0\n",
                        List.of(), List.of("s.yaml:3:3: data.classes_per_device: expected an integer from 1 to 1000, got 0")),
                Arguments.of("unknown partition", "s.yaml", "data:\n  partition: shards\n", List.of(),
                        List.of("s.yaml:2:3: data.partition: expected one of iid, label-skew, label-shards, quantity-skew, by-group")),
                Arguments.of("unknown learning-rate schedule", "s.yaml", "training:\n  schedule: cubic\n", List.of(),
                        List.of("s.yaml:2:3: training.schedule: expected one of constant, linear, cosine")),
                Arguments.of("warm-up beyond the run", "s.yaml", "training:\n  warmup_share: 1.5\n", List.of(),
                        List.of("s.yaml:2:3: training.warmup_share: expected a number from 0 to 1, got 1.5")),
                Arguments.of("negative clipping norm", "s.yaml", "name: x\n", List.of("--set", "training.max_grad_norm=-1"),
                        List.of("training.max_grad_norm: expected a number from 0 to 1000000, got -1")),
                Arguments.of("evaluation never", "s.yaml", "training:\n  evaluate_every: 0\n", List.of(),
                        List.of("s.yaml:2:3: training.evaluate_every: expected an integer from 1 to 1000000, got 0")),
                Arguments.of("length buckets on feature vectors", "s.yaml",
                        "data:\n  workload: synthetic\ntraining:\n  length_buckets: true\n", List.of(),
                        List.of("training.length_buckets: expected false for data.workload synthetic")),
                Arguments.of("a field of another family", "s.yaml", "model:\n  truncation: head-tail\n", List.of(),
                        List.of("s.yaml:2:3: model.truncation: unknown field in 'model'; expected one of: widths, classes,"
                                + " teacher_rank, teacher_perturbation, balanced_classes, task_seed (the settings of model family 'mlp')")),
                Arguments.of("unknown truncation", "s.yaml", "model:\n  family: bert\n  truncation: middle\n", List.of(),
                        List.of("s.yaml:3:3: model.truncation: expected one of head, head-tail")),
                Arguments.of("unknown model family", "s.yaml", "model:\n  family: lstm\n", List.of(),
                        List.of("s.yaml:2:3: model.family: unknown model family 'lstm'; expected one of mlp, transformer,"
                                + " bert")),
                Arguments.of("a family that does not learn the workload", "s.yaml",
                        "data:\n  workload: synthetic\nmodel:\n  family: bert\n", List.of(),
                        List.of("s.yaml:4:3: model.family: data.workload: synthetic needs a family that learns it (mlp),"
                                + " got bert")),
                Arguments.of("a family's range check", "s.yaml", "model:\n  widths: [8, 0]\n", List.of(),
                        List.of("model.widths[1]: expected an integer from 1 to 4096, got 0 (model family 'mlp')")),
                Arguments.of("bag-of-words without texts", "s.yaml", "data:\n  workload: synthetic\ntraining:\n  arm: bag-of-words\n",
                        List.of(), List.of("training.arm: expected federated or centralised with data.workload synthetic")),
                Arguments.of("duplicate key", "s.yaml", "rounds: 1\nrounds: 2\n", List.of(),
                        List.of("s.yaml:2:1: rounds: duplicate key")),
                Arguments.of("empty file", "s.yaml", "", List.of(), List.of("s.yaml: the file is empty")),
                Arguments.of("a list at the top", "s.yaml", "- 1\n- 2\n", List.of(), List.of("expected a mapping of scenario sections")),
                Arguments.of("not UTF-8", "s.yaml", new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xff, (byte) 0xfe},
                        List.of(), List.of("s.yaml: not UTF-8 text")),
                Arguments.of("bad override value", "s.yaml", "name: x\n", List.of("--set", "devices.count=-3"),
                        List.of("--set devices.count=-3: devices.count: expected an integer from 1")),
                Arguments.of("override of an unknown field", "s.yaml", "name: x\n", List.of("--set", "devices.cuont=3"),
                        List.of("--set devices.cuont=3: devices.cuont: unknown field in 'devices'; did you mean 'count'?")),
                Arguments.of("not a number in the file", "s.yaml", "network:\n  bandwidth_hz: .nan\n", List.of(),
                        List.of("s.yaml:2:", "expected a finite number, got .nan")),
                Arguments.of("an infinity in the file", "s.yaml", "budgets:\n  latency_s: -.inf\n", List.of(),
                        List.of("s.yaml:2:", "expected a finite number, got -.inf")),
                Arguments.of("override with not a number", "s.yaml", "name: x\n", List.of("--set", "network.bandwidth_hz=.nan"),
                        List.of("--set network.bandwidth_hz=.nan: network.bandwidth_hz: expected a finite number, got .nan")),
                Arguments.of("override without a value", "s.yaml", "name: x\n", List.of("--set", "rounds"),
                        List.of("--set rounds: expected PATH=VALUE")),
                Arguments.of("several problems at once", "s.yaml",
                        "rounds: 0\ndevices:\n  count: -1\nchannel:\n  fading: foggy\n", List.of(),
                        List.of("s.yaml:1:1: rounds:", "s.yaml:3:3: devices.count:", "s.yaml:5:3: channel.fading:",
                                "3 problems in the scenario; nothing was run.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badScenarioIsReportedWithItsPlaceAndExitCodeTwo(String name, String fileName, byte[] content,
                                                          List<String> extra, List<String> expected) throws Exception {
        Path directory = Files.createDirectories(temp.resolve(name.replace(' ', '-')));
        Path file = directory.resolve(fileName);
        Files.write(file, content);
        List<String> args = new ArrayList<>(List.of("validate", file.toString()));
        args.addAll(extra);
        CliRunner result = CliRunner.execute(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        for (String fragment : expected) {
            assertThat(result.err()).contains(fragment.replace("s.yaml", file.toString()).replace("s.json", file.toString()));
        }
        assertThat(result.hasStackTrace()).as(result.err()).isFalse();
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest(name = "run: {0}")
    @MethodSource("cases")
    void runRefusesTheSameScenariosBeforeWritingAnything(String name, String fileName, byte[] content,
                                                         List<String> extra, List<String> expected) throws Exception {
        Path directory = Files.createDirectories(temp.resolve("run-" + name.replace(' ', '-')));
        Path file = directory.resolve(fileName);
        Files.write(file, content);
        Path out = directory.resolve("out");
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", out.toString(), "-q"));
        args.addAll(extra);
        CliRunner result = CliRunner.execute(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        for (String fragment : expected) {
            assertThat(result.err()).contains(fragment.replace("s.yaml", file.toString()).replace("s.json", file.toString()));
        }
        assertThat(result.hasStackTrace()).isFalse();
        assertThat(out).doesNotExist();
    }
}
