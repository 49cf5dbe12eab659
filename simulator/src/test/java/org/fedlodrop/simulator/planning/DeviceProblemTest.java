package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The per-device subproblem against dense brute force on random instances, and its fast feasibility test against the full one. */
class DeviceProblemTest {
    @Test
    void leastEnergyMatchesABruteForceSearchOverTheTimeSplit() {
        int checked = 0;
        for (long seed = 0; seed < 40; seed++) {
            PlanningProblem problem = RandomInstances.draw(3, seed);
            for (DeviceProblem device : problem.devices()) {
                double gamma = 0.3 + 0.5 * ((seed * 7 + device.device()) % 10) / 10.0;
                double bandwidth = problem.bandwidthHz() / 2;
                DeviceProblem.Operation best = device.leastEnergy(gamma, bandwidth);
                Double brute = bruteForceEnergy(device, gamma, bandwidth);
                if (best == null) {
                    assertThat(brute).as("a split exists that the solver missed").isNull();
                    continue;
                }
                checked++;
                assertThat(brute).isNotNull();
                // The solver is exact; the grid's best can only be as good or slightly worse.
                assertThat(best.energyJ()).isLessThanOrEqualTo(brute * (1 + 1e-12));
                assertThat(best.energyJ()).isCloseTo(brute, within(brute * 1e-6));
                assertThat(best.downloadS() + best.computeS() + best.uploadS())
                        .isCloseTo(device.latencyBudgetS(), within(1e-6));
            }
        }
        assertThat(checked).isGreaterThan(60);
    }

    /**
     * feasible() may stop its bisection early (issue 32); it must give the answer of the full bisection
     * everywhere, above all at the bandwidths b^min's bisection tries, which close in on the threshold.
     */
    @Test
    void feasibleGivesTheFullBisectionsAnswerAlsoAtTheThreshold() {
        int checked = 0;
        int nearThreshold = 0;
        for (long seed = 0; seed < 30; seed++) {
            PlanningProblem problem = seed % 2 == 0 ? RandomInstances.draw(4, 900 + seed)
                    : RandomInstances.heterogeneous(4, 900 + seed);
            for (DeviceProblem device : problem.devices()) {
                for (int g = 0; g <= 9; g++) {
                    double gamma = 0.1 * g;
                    double threshold = device.minimumBandwidth(gamma, problem.bandwidthHz());
                    java.util.List<Double> bands = new java.util.ArrayList<>();
                    for (int i = 1; i <= 20; i++) {
                        bands.add(problem.bandwidthHz() * i / 20);
                    }
                    if (Double.isFinite(threshold)) {
                        for (int e = 1; e <= 15; e++) {
                            bands.add(threshold * (1 + Math.pow(10, -e)));
                            bands.add(threshold * (1 - Math.pow(10, -e)));
                        }
                        bands.add(threshold);
                        bands.add(Math.nextDown(threshold));
                        nearThreshold++;
                    }
                    for (double b : bands) {
                        DeviceProblem.Operation full = device.leastEnergy(gamma, b);
                        boolean expected = full != null && full.withinEnergy(device.energyBudgetJ());
                        assertThat(device.feasible(gamma, b)).as("device %d, γ %.1f, b %s", device.device(), gamma, b)
                                .isEqualTo(expected);
                        checked++;
                    }
                }
            }
        }
        assertThat(nearThreshold).isGreaterThan(400);
        assertThat(checked).isGreaterThan(20_000);
    }

    /** The problem's cache of b^min returns what the device computes, whatever the order of asking. */
    @Test
    void rememberedMinimumBandwidthsAreTheDevicesOwn() {
        PlanningProblem problem = RandomInstances.draw(6, 31);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 600; i++) {
            int k = random.nextInt(problem.size());
            // A few rates asked again and again, and fresh ones that push older entries out.
            double gamma = random.nextBoolean() ? 0.1 * random.nextInt(4) : 0.9 * random.nextDouble();
            double expected = problem.devices().get(k).minimumBandwidth(gamma, problem.bandwidthHz());
            assertThat(Double.doubleToRawLongBits(problem.minimumBandwidth(k, gamma)))
                    .isEqualTo(Double.doubleToRawLongBits(expected));
        }
        PlanningProblem subset = problem.subset(new int[] {4, 1});
        for (int i = 0; i < 50; i++) {
            double gamma = 0.1 * (i % 10);
            assertThat(subset.minimumBandwidth(0, gamma))
                    .isEqualTo(problem.devices().get(4).minimumBandwidth(gamma, problem.bandwidthHz()));
            assertThat(subset.minimumBandwidth(1, gamma))
                    .isEqualTo(problem.devices().get(1).minimumBandwidth(gamma, problem.bandwidthHz()));
        }
    }

    /** Energy minimised over a grid of (t_c, t_u) with t_c + t_u ≤ T_left, p ≤ P_max and f in range. */
    private static Double bruteForceEnergy(DeviceProblem device, double gamma, double bandwidth) {
        double bits = device.payloadBits().applyAsDouble(gamma);
        double cycles = device.cycles().applyAsDouble(gamma);
        double left = device.latencyBudgetS() - bits / device.rateBps(bandwidth, device.baseStationPowerW());
        double computeMin = cycles / device.maxFrequencyHz();
        double computeMax = Math.min(cycles / device.minFrequencyHz(), left);
        double uploadMin = bits / device.rateBps(bandwidth, device.maxPowerW());
        if (computeMin + uploadMin > left) {
            return null;
        }
        double best = Double.POSITIVE_INFINITY;
        int steps = 200_000;
        for (int i = 0; i <= steps; i++) {
            double compute = computeMin + (computeMax - computeMin) * i / steps;
            double upload = left - compute; // using all time is optimal; checked below on a coarse 2-D grid
            if (upload < uploadMin * (1 - 1e-12)) {
                continue;
            }
            double power = device.uploadPower(bits, bandwidth, upload);
            best = Math.min(best, device.kappa() * cycles * cycles * cycles / (compute * compute) + power * upload);
        }
        for (int i = 0; i <= 300; i++) {
            for (int j = 0; j <= 300; j++) {
                double compute = computeMin + (computeMax - computeMin) * i / 300;
                double upload = uploadMin + (left - uploadMin) * j / 300;
                if (compute + upload <= left) {
                    double energy = device.kappa() * cycles * cycles * cycles / (compute * compute)
                            + device.uploadPower(bits, bandwidth, upload) * upload;
                    assertThat(energy).isGreaterThanOrEqualTo(best * (1 - 1e-9));
                }
            }
        }
        return best;
    }

    @Test
    void minimumBandwidthIsTheFirstFeasibleBandOfADenseScan() {
        int checked = 0;
        for (long seed = 0; seed < 20; seed++) {
            PlanningProblem problem = RandomInstances.draw(2, seed);
            for (DeviceProblem device : problem.devices()) {
                double gamma = 0.6;
                double band = device.minimumBandwidth(gamma, problem.bandwidthHz());
                int steps = 20_000;
                double scanned = Double.POSITIVE_INFINITY;
                for (int i = 1; i <= steps; i++) {
                    double b = problem.bandwidthHz() * i / steps;
                    if (device.feasible(gamma, b)) {
                        scanned = b;
                        break;
                    }
                }
                if (Double.isInfinite(scanned)) {
                    assertThat(band).isInfinite();
                    continue;
                }
                checked++;
                assertThat(device.feasible(gamma, band)).isTrue();
                assertThat(band).isLessThanOrEqualTo(scanned).isGreaterThan(scanned - problem.bandwidthHz() / steps);
                // b^min does not increase with γ.
                assertThat(device.minimumBandwidth(0.8, problem.bandwidthHz())).isLessThanOrEqualTo(band * (1 + 1e-9));
            }
        }
        assertThat(checked).isGreaterThan(15);
    }
}
