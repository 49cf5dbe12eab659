package org.fedlodrop.simulator.actors;

import org.fedlodrop.reports.records.EventType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.records.DeviceOutcome;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heterogeneous fleets end to end: the planner weighs each device's own data and processor, offline
 * devices spend nothing, and the run files say which class each device is.
 */
class HeterogeneousFleetRunTest {
    @TempDir
    Path temp;

    /** Eight devices in one cell, a wide band and budgets, branch and bound: γ follows each device's bound. */
    private static final String BASE = """
            name: fleet
            seed: 3
            rounds: 2
            devices:
              count: 8
              classes:
            %s
            model:
              rank: %d
              alpha: %d
            network:
              bandwidth_hz: 1.0e8
            planner:
              solver: bnb
            budgets:
              latency_s: %s
              energy_j: 5000
            """;

    private RunFixture run(String name, String classes, int rank, double latency, String... overrides) throws Exception {
        String yaml = BASE.formatted(classes, rank, 2 * rank, Double.toString(latency));
        LoadedScenario loaded = ScenarioLoader.parse(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8), List.of(overrides));
        Path directory = temp.resolve(name);
        Files.createDirectories(directory);
        ScenarioRun.execute(loaded, directory, 2, RunProgress.NONE);
        return new RunFixture(directory);
    }

    private static Map<String, List<DeviceRoundRecord>> byClass(List<DeviceRoundRecord> rows) {
        return rows.stream().collect(Collectors.groupingBy(DeviceRoundRecord::deviceClass));
    }

    @Test
    void devicesWithMoreDataGetALowerRate() throws Exception {
        RunFixture run = run("data", """
                    - {name: small, share: 0.5, samples: 10}
                    - {name: large, share: 0.5, samples: 100}
                """, 4, 3000);
        Map<String, List<DeviceRoundRecord>> rows = byClass(run.devices());
        assertThat(rows.get("small")).hasSize(8).allSatisfy(r -> assertThat(r.samples()).isEqualTo(10));
        assertThat(rows.get("large")).hasSize(8).allSatisfy(r -> assertThat(r.samples()).isEqualTo(100));
        assertThat(run.devices()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(DeviceOutcome.AGGREGATED));
        // The bound's gap term falls with D_k (docs/model.md eq. 8): more data, less need of dropout.
        double smallest = rows.get("small").stream().mapToDouble(DeviceRoundRecord::gamma).min().orElseThrow();
        double largest = rows.get("large").stream().mapToDouble(DeviceRoundRecord::gamma).max().orElseThrow();
        assertThat(largest).isLessThan(smallest - 0.05);
        // The round counts the samples behind what it aggregated: 4 × 10 + 4 × 100.
        assertThat(run.rounds()).allSatisfy(r -> assertThat(r.aggregatedSamples()).isEqualTo(440));
        String topology = Files.readString(run.directory().resolve(RunFiles.TOPOLOGY));
        assertThat(topology).contains("\"device_class\" : \"small\"").contains("\"samples\" : 100");
    }

    /**
     * Dropout shrinks only the LoRA part of the computation (eq. 12), so a deadline that a slow device
     * can meet only with part of its adapter lies between its computation times at the bound's own γ
     * and at γ_max: rank 256 makes that window about 12 s wide, and the deadline is put in its middle.
     */
    @Test
    void slowDevicesGetTheHigherRateWhenTheDeadlineBinds() throws Exception {
        String classes = """
                    - {name: slow, share: 0.5, cpu_max_hz: 0.5e9}
                    - {name: fast, share: 0.5, cpu_max_hz: 3.0e9}
                """;
        RunFixture generous = run("cpu-generous", classes, 256, 3000);
        double free = generous.devices().get(0).gamma();
        assertThat(generous.devices()).allSatisfy(r -> assertThat(r.gamma()).isCloseTo(free, within(1e-9)));

        ComputeLoad load = ComputeLoad.of(ModelCatalogue.find("roberta-base").orElseThrow(), 256, 16);
        double atFree = load.cycles(3, 20, free) / 0.5e9;
        double atMax = load.cycles(3, 20, 0.9) / 0.5e9;
        assertThat(atFree - atMax).as("the window of deadlines that dropout opens").isGreaterThan(8);
        // Transfers take well under a second on 100 MHz; the deadline leaves the slow device no room at γ*.
        RunFixture tight = run("cpu-tight", classes, 256, (atFree + atMax) / 2 + 0.5);
        Map<String, List<DeviceRoundRecord>> rows = byClass(tight.devices());
        assertThat(tight.devices()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(DeviceOutcome.AGGREGATED));
        assertThat(rows.get("fast")).allSatisfy(r -> assertThat(r.gamma()).isCloseTo(free, within(1e-9)));
        assertThat(rows.get("slow")).allSatisfy(r -> assertThat(r.gamma()).isGreaterThan(free + 0.05));
    }

    @Test
    void offlineDevicesAreNotPlannedAndSpendNothing() throws Exception {
        RunFixture run = run("availability", """
                    - {name: phone, share: 0.75, mean_online_rounds: 2, mean_offline_rounds: 2}
                    - {name: laptop, share: 0.25}
                """, 4, 3000, "rounds=12");
        List<DeviceRoundRecord> devices = run.devices();
        List<DeviceRoundRecord> offline = devices.stream().filter(r -> r.outcome() == DeviceOutcome.OFFLINE).toList();
        assertThat(offline).isNotEmpty().allSatisfy(r -> {
            assertThat(r.deviceClass()).isEqualTo("phone");
            assertThat(r.energyJ()).isZero();
            assertThat(r.bandwidthHz()).isZero();
            assertThat(r.payloadBits()).isZero();
            assertThat(r.latencyS()).isZero();
        });
        assertThat(devices.stream().filter(r -> r.deviceClass().equals("laptop")))
                .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(DeviceOutcome.AGGREGATED));
        for (RoundRecord round : run.rounds()) {
            long count = offline.stream().filter(r -> r.round() == round.round()).count();
            assertThat(round.devicesOffline()).isEqualTo(count);
            assertThat(round.devicesAggregated() + round.devicesMissedDeadline() + round.devicesRefusedEnergy()
                    + round.devicesUnserved() + round.devicesOffline()).isEqualTo(8);
        }
        // Nothing is sent to an offline device: no download starts for it in its offline rounds.
        var downloads = run.events().stream().filter(e -> e.type() == EventType.DOWNLOAD_START).toList();
        assertThat(downloads).noneMatch(e -> offline.stream()
                .anyMatch(r -> r.round() == e.round() && e.device() != null && r.device() == e.device()));
        String summary = Files.readString(run.directory().resolve(RunFiles.SUMMARY));
        assertThat(summary).contains("\"offline\" : " + offline.size());
    }
}
