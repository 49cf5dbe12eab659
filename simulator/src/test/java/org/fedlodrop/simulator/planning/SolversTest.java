package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** B&B against exhaustive search, P-SCA against B&B, every plan against every constraint. */
class SolversTest {
    private static final int GRID = 181; // γ in steps of 0.005 up to 0.9

    @Test
    void branchAndBoundMatchesExhaustiveSearchWithinItsCertifiedGap() {
        checkAgainstExhaustiveSearch(RandomInstances::draw);
    }

    /** Devices of three classes (CPU, power, κ) with data sizes spanning 10× and their own energy budgets. */
    @Test
    void branchAndBoundMatchesExhaustiveSearchOnHeterogeneousFleets() {
        checkAgainstExhaustiveSearch(RandomInstances::heterogeneous);
    }

    private static void checkAgainstExhaustiveSearch(java.util.function.BiFunction<Integer, Long, PlanningProblem> draw) {
        int instances = 0;
        for (long seed = 0; instances < 60; seed++) {
            assertThat(seed).as("too few feasible instances").isLessThan(600);
            int devices = 1 + (int) (seed % 3);
            PlanningProblem problem = draw.apply(devices, 1000 + seed);
            GammaSolution solution = BranchAndBound.solve(problem);
            if (!solution.feasible()) {
                assertThat(exhaustive(problem)).as("B&B called a feasible instance infeasible").isInfinite();
                continue;
            }
            instances++;
            ExhaustiveSearch.assertCertified(problem, solution, GRID);
            assertThat(problem.objective(solution.gammas())).isCloseTo(solution.objective(), org.assertj.core.api.Assertions.within(1e-12));
            PlanCheck.satisfiesEveryConstraint(problem, ResourceAllocation.allocate(problem, solution.gammas()));
        }
    }

    /** The best Σ G over a γ grid with Σ b^min ≤ B (ExhaustiveSearch). */
    private static double exhaustive(PlanningProblem problem) {
        return ExhaustiveSearch.best(problem, GRID);
    }

    @Test
    void penalizedScaIsWithinOnePercentOfBranchAndBoundOnNinetyFivePercentOfInstances() {
        List<Double> gaps = new ArrayList<>();
        for (long seed = 0; gaps.size() < 100; seed++) {
            PlanningProblem problem = RandomInstances.draw(10, 5000 + seed);
            GammaSolution global = BranchAndBound.solve(problem);
            if (!global.feasible()) {
                continue;
            }
            double[] cold = new double[10];
            Arrays.fill(cold, problem.maxGamma() / 2);
            GammaSolution online = PenalizedSca.solve(problem, cold);
            PlanCheck.satisfiesEveryConstraint(problem, ResourceAllocation.allocate(problem, online.gammas()));
            gaps.add((online.objective() - global.objective()) / global.objective());
        }
        double[] sorted = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String distribution = String.format("relative gap P-SCA vs B&B over %d instances: min %.2e, median %.2e, "
                        + "95th percentile %.2e, max %.2e", sorted.length, sorted[0], sorted[sorted.length / 2],
                sorted[(int) (0.95 * sorted.length) - 1], sorted[sorted.length - 1]);
        long within = gaps.stream().filter(g -> g <= 0.01).count();
        assertThat(within).as(distribution).isGreaterThanOrEqualTo(95);
        // B&B is within 1e-4 of the optimum, so P-SCA can beat it by at most that much.
        assertThat(sorted[0]).as(distribution).isGreaterThanOrEqualTo(-1.0001e-4);
    }

    /** γ_max = 0 (no dropout allowed): P-SCA has nothing to move and returns γ = 0, as B&B does (it divided 0 by 0). */
    @Test
    void penalizedScaWithNoDropoutAllowedReturnsZero() {
        PlanningProblem problem = RandomInstances.draw(4, 7);
        PlanningProblem none = new PlanningProblem(problem.devices(), 1e9, 0, problem.bound());
        GammaSolution online = PenalizedSca.solve(none, new double[] {0.3, 0.3, 0.3, 0.3});
        assertThat(online.feasible()).isTrue();
        assertThat(online.gammas()).containsOnly(0.0);
        assertThat(online.objective()).isCloseTo(BranchAndBound.solve(none).objective(), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void infeasibleInstancesNameTheDevicesThatCannotBeServed() {
        PlanningProblem problem = RandomInstances.draw(10, 6);
        PlanningProblem starved = new PlanningProblem(problem.devices(), 1e3, problem.maxGamma(), problem.bound());
        GammaSolution solution = BranchAndBound.solve(starved);
        assertThat(solution.feasible()).isFalse();
        assertThat(solution.unserved()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("device "));
        assertThat(PenalizedSca.solve(starved, new double[10]).unserved()).isEqualTo(solution.unserved());
    }
}
