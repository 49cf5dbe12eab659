package org.fedlodrop.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.Scenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

/** Classes dealt to devices, what a class inherits, data weights, and the availability chain's statistics. */
class FleetTest {

    private static final String FLEET = """
            name: fleet
            seed: 5
            rounds: 4
            devices:
              count: 10
              cpu_max_hz: 2.0e9
              classes:
                - {name: iot, share: 0.2, cpu_max_hz: 0.5e9, samples: 10}
                - {name: phone, share: 0.55, samples: 40, mean_online_rounds: 4, mean_offline_rounds: 2}
                - {name: laptop, share: 0.25, samples: 100, max_power_dbm: 20}
            data:
              samples_per_device: 30
            training:
              local_epochs: 2
            budgets:
              energy_j: 300
            """;

    private static Scenario scenario(String... overrides) throws Exception {
        return ScenarioLoader.parse("fleet.yaml", FLEET.getBytes(StandardCharsets.UTF_8), List.of(overrides)).scenario();
    }

    @Test
    void sharesBecomeCountsByLargestRemainderAndEveryDeviceGetsItsClass() throws Exception {
        Scenario scenario = scenario();
        // 10 × (0.2, 0.55, 0.25) = (2, 5.5, 2.5): the two halves go to the earlier class.
        assertThat(scenario.devices().classCounts()).containsExactly(2, 6, 2);
        Fleet fleet = org.fedlodrop.simulator.scenario.FleetDealing.deal(scenario, new RandomStreams(scenario.seed()));
        assertThat(fleet.devices().stream().filter(d -> d.deviceClass().equals("iot"))).hasSize(2);
        assertThat(fleet.devices().stream().filter(d -> d.deviceClass().equals("phone"))).hasSize(6);
        assertThat(fleet.devices().stream().filter(d -> d.deviceClass().equals("laptop"))).hasSize(2);
        assertThat(scenario.totalSamples()).isEqualTo(2 * 10 + 6 * 40 + 2 * 100);
        assertThat(fleet.totalSamples()).isEqualTo(scenario.totalSamples());
    }

    @Test
    void aClassInheritsWhatItDoesNotSay() throws Exception {
        Scenario scenario = scenario();
        Scenario.DeviceClass iot = scenario.devices().classes().get(0);
        Scenario.DeviceClass laptop = scenario.devices().classes().get(2);
        assertThat(iot.cpuMaxHz()).isEqualTo(0.5e9);
        assertThat(laptop.cpuMaxHz()).isEqualTo(2.0e9);                           // devices.cpu_max_hz
        assertThat(iot.maxPowerDbm()).isEqualTo(scenario.devices().maxPowerDbm());
        assertThat(laptop.maxPowerDbm()).isEqualTo(20);
        assertThat(iot.energyBudgetJ()).isEqualTo(300);                           // budgets.energy_j
        assertThat(iot.localEpochs()).isEqualTo(2);                               // training.local_epochs
        assertThat(iot.meanOfflineRounds()).isZero();
        assertThat(scenario.devices().classes().get(1).meanOfflineRounds()).isEqualTo(2);
    }

    @Test
    void assignmentFollowsTheSeedAndDataWeightsFollowSamples() throws Exception {
        Scenario scenario = scenario();
        List<String> first = org.fedlodrop.simulator.scenario.FleetDealing.deal(scenario, new RandomStreams(5)).devices().stream().map(DeviceProfile::deviceClass).toList();
        List<String> again = org.fedlodrop.simulator.scenario.FleetDealing.deal(scenario, new RandomStreams(5)).devices().stream().map(DeviceProfile::deviceClass).toList();
        assertThat(again).isEqualTo(first);
        boolean differs = false;
        for (long seed = 6; seed < 16 && !differs; seed++) {
            differs = !org.fedlodrop.simulator.scenario.FleetDealing.deal(scenario, new RandomStreams(seed)).devices().stream()
                    .map(DeviceProfile::deviceClass).toList().equals(first);
        }
        assertThat(differs).as("the classes' order over devices depends on the seed").isTrue();

        Fleet fleet = org.fedlodrop.simulator.scenario.FleetDealing.deal(scenario, new RandomStreams(5));
        double sum = 0;
        for (int k = 0; k < fleet.size(); k++) {
            sum += fleet.dataWeight(k);
            assertThat(fleet.dataWeight(k)).isCloseTo(fleet.device(k).samples() / 460.0, within(1e-15));
        }
        assertThat(sum).isCloseTo(1, within(1e-12));
        // A skewed partition's sizes replace the classes' and the weights follow them.
        int[] sizes = new int[10];
        Arrays.fill(sizes, 7);
        sizes[3] = 397;
        Fleet resized = fleet.withSamples(sizes);
        assertThat(resized.dataWeight(3)).isCloseTo(397 / 460.0, within(1e-15));
        assertThat(resized.device(3).deviceClass()).isEqualTo(fleet.device(3).deviceClass());
    }

    @Test
    void withoutClassesEveryDeviceIsAlikeAndWeighsOneKth() throws Exception {
        String plain = "name: plain\ndevices:\n  count: 7\n";
        Scenario scenario = ScenarioLoader.parse("plain.yaml", plain.getBytes(StandardCharsets.UTF_8), List.of()).scenario();
        Fleet fleet = org.fedlodrop.simulator.scenario.FleetDealing.deal(scenario, new RandomStreams(1));
        for (int k = 0; k < 7; k++) {
            assertThat(fleet.device(k).deviceClass()).isEqualTo(Fleet.DEFAULT_CLASS);
            assertThat(fleet.dataWeight(k)).isEqualTo(1.0 / 7);
            for (int r = 0; r < scenario.rounds(); r++) {
                assertThat(fleet.online(r, k)).isTrue();
            }
        }
    }

    /**
     * The long-run share of online rounds is the chain's stationary share, within 4 standard errors:
     * for a two-state chain leaving "on" with p and "off" with q, the time average over n rounds has
     * variance π(1 − π)(1 + λ) / ((1 − λ) n) with λ = 1 − p − q; devices are independent.
     */
    @Test
    void longRunOnlineShareMatchesTheStationaryShare() {
        double meanOnline = 4;
        double meanOffline = 2;
        int devices = 400;
        int rounds = 500;
        SplittableRandom random = new SplittableRandom(11);
        long online = 0;
        long sojourns = 0;
        long onlineRuns = 0;
        for (int k = 0; k < devices; k++) {
            BitSet off = Availability.draw(rounds, meanOnline, meanOffline, random.split());
            online += rounds - off.cardinality();
            // Completed online sojourns: runs of online rounds that end inside the horizon.
            int run = 0;
            for (int r = 0; r < rounds; r++) {
                if (!off.get(r)) {
                    run++;
                } else if (run > 0) {
                    sojourns += run;
                    onlineRuns++;
                    run = 0;
                }
            }
        }
        double pi = Availability.stationaryOnlineShare(meanOnline, meanOffline);
        assertThat(pi).isCloseTo(2.0 / 3, within(1e-15));
        double lambda = 1 - 1 / meanOnline - 1 / meanOffline;
        double se = Math.sqrt(pi * (1 - pi) * (1 + lambda) / ((1 - lambda) * rounds) / devices);
        assertThat(online / (double) devices / rounds).isCloseTo(pi, within(4 * se));
        // Online sojourns are geometric with mean 4 rounds (a run cut by a first round offline included).
        assertThat(sojourns / (double) onlineRuns).isCloseTo(meanOnline, within(0.15));
    }

    @Test
    void theFirstRoundAlreadyFollowsTheStationaryLaw() {
        SplittableRandom random = new SplittableRandom(12);
        int devices = 20_000;
        int online = 0;
        for (int k = 0; k < devices; k++) {
            online += Availability.draw(1, 3, 7, random.split()).get(0) ? 0 : 1;
        }
        double pi = 0.3;
        assertThat(online / (double) devices).isCloseTo(pi, within(4 * Math.sqrt(pi * (1 - pi) / devices)));
    }
}
