package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * P-SCA at a thousand devices in one cell, started as psca starts a large cell (issue 32): every
 * constraint of its plan, and its objective against a lower bound on the optimum computed here
 * without either solver, on a finer grid than the start's and with b^min computed afresh.
 */
class PlannerAtScaleTest {
    @Test
    void penalizedScaFromTheDualStartAtAThousandDevicesMeetsEveryConstraintAndIsWithinOnePermilleOfALowerBound() {
        PlanningProblem problem = RandomInstances.drawServable(1000, 77_000);
        // As psca plans a cell of more than 100 devices without previous rates.
        GammaSolution plan = PenalizedSca.solve(problem, DualStart.of(problem));
        assertThat(plan.feasible()).isTrue();
        PlanCheck.satisfiesEveryConstraint(problem, ResourceAllocation.allocate(problem, plan.gammas()));

        double lower = lagrangianLowerBound(problem, 400);
        assertThat(lower).isLessThanOrEqualTo(plan.objective());
        assertThat((plan.objective() - lower) / lower).as("P-SCA %.10f against the lower bound %.10f",
                plan.objective(), lower).isLessThan(1e-3);
    }

    /** The start fits the band, lies on the grid, and with the band to spare is every device's own best grid point. */
    @Test
    void dualStartFitsTheBandAndWithBandToSpareIsEachDevicesOwnBest() {
        for (long seed = 1; seed <= 3; seed++) {
            PlanningProblem problem = RandomInstances.drawServable(150, seed);
            double[] start = DualStart.of(problem);
            double band = 0;
            for (int k = 0; k < problem.size(); k++) {
                band += problem.devices().get(k).minimumBandwidth(start[k], problem.bandwidthHz());
                double steps = start[k] / problem.maxGamma() * DualStart.PIECES;
                assertThat(Math.abs(steps - Math.rint(steps))).isLessThan(1e-9);
            }
            assertThat(band).isLessThanOrEqualTo(problem.bandwidthHz());

            PlanningProblem spare = new PlanningProblem(problem.devices(), 1e12, problem.maxGamma(), problem.bound());
            double[] own = DualStart.of(spare);
            for (int k = 0; k < spare.size(); k++) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j <= DualStart.PIECES; j++) {
                    best = Math.min(best, spare.deviceObjective(k, spare.maxGamma() * j / DualStart.PIECES));
                }
                assertThat(spare.deviceObjective(k, own[k])).isEqualTo(best);
            }
        }
    }

    /**
     * max over μ ≥ 0 of Σ_k min_j [ρΦ_emp(a_j) + ρΦ_gap(c_j) + μ b^min_k(c_j)] − μB over pieces [a_j, c_j]
     * of a uniform grid: on a piece the increasing part is at least its value at a, the decreasing part
     * and b^min at least theirs at c, so each term bounds min_γ G_k(γ) + μ b^min_k(γ) from below, and
     * the dual of the band constraint bounds the optimum from below at every μ. b^min is computed by
     * each device afresh ({@link DeviceProblem#minimumBandwidth}), not read from the problem's cache.
     */
    private static double lagrangianLowerBound(PlanningProblem problem, int pieces) {
        int n = problem.size();
        double[][] cost = new double[n][pieces];
        double[][] band = new double[n][pieces];
        for (int k = 0; k < n; k++) {
            DeviceProblem device = problem.devices().get(k);
            for (int j = 0; j < pieces; j++) {
                double a = problem.maxGamma() * j / pieces;
                double c = problem.maxGamma() * (j + 1) / pieces;
                cost[k][j] = problem.increasingPart(k, a) + problem.decreasingPart(k, c);
                band[k][j] = device.minimumBandwidth(c, problem.bandwidthHz());
            }
        }
        double muLo = 0;
        double muHi = 1e-9;
        while (bandAt(cost, band, muHi) > problem.bandwidthHz()) {
            muHi *= 2;
        }
        double best = dual(cost, band, 0, problem.bandwidthHz());
        for (int i = 0; i < 100; i++) {
            double mu = 0.5 * (muLo + muHi);
            best = Math.max(best, dual(cost, band, mu, problem.bandwidthHz()));
            if (bandAt(cost, band, mu) > problem.bandwidthHz()) {
                muLo = mu;
            } else {
                muHi = mu;
            }
        }
        return Math.max(best, dual(cost, band, muHi, problem.bandwidthHz()));
    }

    private static double dual(double[][] cost, double[][] band, double mu, double bandwidth) {
        double sum = -mu * bandwidth;
        for (int k = 0; k < cost.length; k++) {
            sum += cost[k][argmin(cost[k], band[k], mu)] + mu * band[k][argmin(cost[k], band[k], mu)];
        }
        return sum;
    }

    private static double bandAt(double[][] cost, double[][] band, double mu) {
        double sum = 0;
        for (int k = 0; k < cost.length; k++) {
            sum += band[k][argmin(cost[k], band[k], mu)];
        }
        return sum;
    }

    private static int argmin(double[] cost, double[] band, double mu) {
        int best = -1;
        double value = Double.POSITIVE_INFINITY;
        for (int j = 0; j < cost.length; j++) {
            if (Double.isFinite(band[j]) && cost[j] + mu * band[j] < value) {
                value = cost[j] + mu * band[j];
                best = j;
            }
        }
        return best;
    }
}
