package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad device classes and capability traces: each reported where it stands (file, line, field or
 * column), exit code 2, no stack trace, nothing run; and a good trace reaches the run.
 */
class FleetErrorsTest {
    @TempDir
    Path temp;

    static Stream<Arguments> badClasses() {
        return Stream.of(
                Arguments.of("shares that do not sum to 1", """
                        devices:
                          classes:
                            - {name: a, share: 0.5}
                            - {name: b, share: 0.3}
                        """, "s.yaml:2:3: devices.classes: expected class shares that sum to 1, got 0.8"),
                Arguments.of("an unknown parameter in a class", """
                        devices:
                          classes:
                            - {name: a, share: 1.0, cpu_speed: 3}
                        """, "s.yaml:3:29: devices.classes[0].cpu_speed: unknown field in 'devices.classes[0]'"),
                Arguments.of("zero samples", """
                        devices:
                          classes:
                            - {name: a, share: 1.0, samples: 0}
                        """, "devices.classes[0].samples: expected an integer from 1 to 1000000000, got 0"),
                Arguments.of("a negative energy budget", """
                        devices:
                          classes:
                            - {name: a, share: 1.0, energy_budget_j: -3}
                        """, "devices.classes[0].energy_budget_j: expected a number greater than 0"),
                Arguments.of("a name twice", """
                        devices:
                          classes:
                            - {name: a, share: 0.5}
                            - {name: a, share: 0.5}
                        """, "devices.classes[1].name: expected each class name once, got 'a' again"),
                Arguments.of("counts that do not sum to the devices", """
                        devices:
                          count: 10
                          classes:
                            - {name: a, count: 4}
                            - {name: b, count: 5}
                        """, "devices.classes: expected class counts that sum to devices.count (10), got 9"),
                Arguments.of("shares mixed with counts", """
                        devices:
                          count: 10
                          classes:
                            - {name: a, count: 4}
                            - {name: b, share: 0.6}
                        """, "devices.classes[1].share: expected every class to give a count, as devices.classes[0] does"),
                Arguments.of("a class without share or count", """
                        devices:
                          classes:
                            - {name: a}
                        """, "devices.classes[0].share: expected a share in (0, 1] or a count of at least 1"),
                Arguments.of("an offline sojourn below a round", """
                        devices:
                          classes:
                            - {name: a, share: 1.0, mean_online_rounds: 3, mean_offline_rounds: 0.5}
                        """, "devices.classes[0].mean_offline_rounds: expected 0 (always online) or a mean offline sojourn of at least 1 round, got 0.5"),
                Arguments.of("going offline without an online sojourn", """
                        devices:
                          mean_offline_rounds: 2
                        """, "devices.mean_online_rounds: devices that go offline (mean_offline_rounds 2) need a mean online sojourn of at least 1 round, got 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badClasses")
    void badClassesAreLocatedAndNothingRuns(String name, String yaml, String expected) throws Exception {
        Path scenario = temp.resolve("s.yaml");
        Files.writeString(scenario, yaml);
        Path out = temp.resolve("run");
        CliRunner result = CliRunner.execute("run", scenario.toString(), "--out", out.toString(), "-q");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(expected);
        assertThat(result.hasStackTrace()).isFalse();
        assertThat(out).doesNotExist();
    }

    private CliRunner validateWithTrace(String trace) throws Exception {
        Files.writeString(temp.resolve("fleet.csv"), trace);
        Path scenario = temp.resolve("t.yaml");
        Files.writeString(scenario, """
                rounds: 4
                devices:
                  count: 3
                  trace_file: fleet.csv
                  classes:
                    - {name: phone, share: 0.7}
                    - {name: laptop, share: 0.3, cpu_max_hz: 3.0e9}
                """);
        return CliRunner.execute("validate", scenario.toString());
    }

    @Test
    void badTraceRowsAreReportedWithTheirLines() throws Exception {
        Path trace = temp.resolve("fleet.csv");
        List<String[]> cases = List.of(
                new String[] {"device,class\n0,phone\n0,laptop\n", ":3: device: device 0 appears twice (first on line 2)"},
                new String[] {"device,samples\n0,-4\n", ":2: samples: expected an integer from 1 to 1000000000, got '-4'"},
                new String[] {"device,samples\n1,0\n", ":2: samples: expected an integer from 1 to 1000000000, got '0'"},
                new String[] {"device,class\n1,tablet\n", ":2: class: expected one of the classes of devices.classes [laptop, phone], got 'tablet'"},
                new String[] {"device,cpu_max_hz\n7,1e9\n", ":2: device: expected a device number from 0 to 2 (devices.count = 3), got '7'"},
                new String[] {"device,offline\n2,5-3\n", ":2: offline: expected rounds such as 3;7-9"},
                new String[] {"device,speed\n0,3\n", ":1: speed: unknown column; expected device, class, cpu_min_hz"},
                new String[] {"device,cpu_min_hz,cpu_max_hz\n0,2e9,1e9\n", ":2: cpu_min_hz: expected at most cpu_max_hz (1000000000), got 2000000000"});
        Path scenario = temp.resolve("missing.yaml");
        Files.writeString(scenario, "devices:\n  count: 3\n  trace_file: nowhere.csv\n");
        CliRunner missing = CliRunner.execute("validate", scenario.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains(scenario + ":3:3: devices.trace_file: no such device trace file: "
                + temp.resolve("nowhere.csv"));
        for (String[] c : cases) {
            CliRunner result = validateWithTrace(c[0]);
            assertThat(result.exitCode()).as(c[0] + result.err()).isEqualTo(2);
            assertThat(result.err()).as(c[0]).contains(trace + c[1]);
            assertThat(result.hasStackTrace()).isFalse();
        }
    }

    @Test
    void aTraceSetsClassesParametersAndOfflineRounds() throws Exception {
        Files.writeString(temp.resolve("fleet.csv"), "device,class,samples,cpu_max_hz,offline\n"
                + "0,laptop,,,\n1,phone,7,,1;3\n2,,,1.5e9,0-1\n");
        Path scenario = temp.resolve("t.yaml");
        Files.writeString(scenario, """
                rounds: 4
                devices:
                  count: 3
                  trace_file: fleet.csv
                  classes:
                    - {name: phone, share: 0.7, samples: 30}
                    - {name: laptop, share: 0.3, cpu_max_hz: 3.0e9, samples: 90}
                """);
        Path out = temp.resolve("run");
        CliRunner run = CliRunner.execute("run", scenario.toString(), "--out", out.toString(), "-q");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("devices.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int outcome = header.indexOf("outcome");
        int deviceClass = header.indexOf("device_class");
        int samples = header.indexOf("samples");
        for (String line : rows.subList(1, rows.size())) {
            String[] f = line.split(",");
            int round = Integer.parseInt(f[0]);
            int device = Integer.parseInt(f[1]);
            switch (device) {
                case 0 -> {
                    assertThat(f[deviceClass]).isEqualTo("laptop");
                    assertThat(f[samples]).isEqualTo("90");
                    assertThat(f[outcome]).isNotEqualTo("offline");
                }
                case 1 -> {
                    assertThat(f[deviceClass]).isEqualTo("phone");
                    assertThat(f[samples]).isEqualTo("7");
                    assertThat(f[outcome].equals("offline")).as("round " + round).isEqualTo(round == 1 || round == 3);
                }
                default -> assertThat(f[outcome].equals("offline")).as("round " + round).isEqualTo(round <= 1);
            }
        }
        // The trace is part of the run's provenance.
        assertThat(Files.readString(out.resolve("manifest.json"))).contains(temp.resolve("fleet.csv").toString());
    }
}
