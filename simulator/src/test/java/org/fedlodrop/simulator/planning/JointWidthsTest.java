package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedlodrop.simulator.bound.GeneralisationBound;
import org.junit.jupiter.api.Test;

/**
 * Bits in the plan (issue 31): branch and bound over (γ, width) against exhaustive search over a γ grid × the widths,
 * with every constraint of the chosen plan checked independently (PlanCheck); the online width search against it.
 */
class JointWidthsTest {
    private static final int[] WIDTHS = {4, 8, 16, 32};
    /** Large enough that 4 bits costs the bound about as much as a tenth of γ, so widths trade against γ. */
    private static final double C_QUANT = 20;
    private static final int GRID = 61; // γ in steps of 0.015 up to 0.9

    @Test
    void branchAndBoundMatchesExhaustiveSearchOverRatesAndWidths() {
        int instances = 0;
        int choseFewerBits = 0;
        for (long seed = 0; instances < 30; seed++) {
            assertThat(seed).as("too few feasible instances").isLessThan(300);
            int devices = 1 + (int) (seed % 3);
            PlanningProblem base = seed % 2 == 0 ? RandomInstances.draw(devices, 2000 + seed)
                    : RandomInstances.heterogeneous(devices, 2000 + seed);
            PlanningProblem problem = RandomInstances.withWidths(base, WIDTHS, C_QUANT, 0.9);
            GammaSolution solution = BranchAndBound.solve(problem);
            if (!solution.feasible()) {
                assertThat(exhaustive(problem)).as("B&B called a feasible instance infeasible").isInfinite();
                continue;
            }
            instances++;
            ExhaustiveSearch.assertCertified(problem, solution, GRID);
            int[] widths = solution.widths();
            assertThat(problem.objective(solution.gammas(), widths)).isCloseTo(solution.objective(), within(1e-12));
            PlanningProblem chosen = problem.atWidths(widths);
            PlanCheck.satisfiesEveryConstraint(chosen, ResourceAllocation.allocate(chosen, solution.gammas()));
            if (Arrays.stream(widths).anyMatch(v -> WIDTHS[v] < 32)) {
                choseFewerBits++;
            }
        }
        // The instances must exercise the choice, not sit at full precision throughout.
        assertThat(choseFewerBits).as("instances where some device sends below 32 bits").isGreaterThanOrEqualTo(5);
    }

    /** γ_max = 0: the widths alone, a multiple-choice knapsack that B&B can only close by splitting widths. */
    @Test
    void widthsAloneAreSolvedToTheExactOptimum() {
        int instances = 0;
        for (long seed = 0; instances < 30; seed++) {
            assertThat(seed).isLessThan(300);
            int devices = 1 + (int) (seed % 4);
            PlanningProblem base = RandomInstances.draw(devices, 3000 + seed);
            // A band between what every device needs at γ = 0 with the fewest bits and with the most.
            PlanningProblem generous = RandomInstances.withWidths(base, WIDTHS, C_QUANT, 0, 1e9);
            double fewest = 0;
            double most = 0;
            for (int k = 0; k < devices; k++) {
                fewest += generous.minimumBandwidth(k, 0, 0);
                most += generous.minimumBandwidth(k, WIDTHS.length - 1, 0);
            }
            double share = 0.1 + 0.8 * (seed % 7) / 6.0;
            if (!Double.isFinite(fewest)) {
                continue; // some device cannot be served at any width
            }
            double band = Double.isFinite(most) ? fewest + share * (most - fewest) : 2 * fewest;
            PlanningProblem problem = RandomInstances.withWidths(base, WIDTHS, C_QUANT, 0, band);
            GammaSolution solution = BranchAndBound.solve(problem);
            double best = exhaustive(problem);
            if (!solution.feasible()) {
                assertThat(best).as(solution.unserved().toString()).isInfinite();
                continue;
            }
            instances++;
            // With γ fixed at 0 the enumeration is exact: B&B must find it, not merely bound it.
            assertThat(solution.objective()).isBetween(best - 1e-12, best * (1 + 1e-4) + 1e-12);
            assertThat(solution.lowerBound()).isLessThanOrEqualTo(best + 1e-12);
            // Certified: the dual bound alone leaves the knapsack's duality gap; splitting widths closes it.
            assertThat(solution.relativeGap()).isLessThanOrEqualTo(1e-4 + 1e-12);
        }
    }

    /** With one width the problem, and so the solver's every step, is today's: the same bits. */
    @Test
    void oneWidthIsTheProblemWithoutWidths() {
        for (long seed = 0; seed < 20; seed++) {
            PlanningProblem base = RandomInstances.draw(6, 4000 + seed);
            PlanningProblem one = RandomInstances.withWidths(base, new int[] {32}, C_QUANT, 0.9);
            GammaSolution plain = BranchAndBound.solve(base);
            GammaSolution widths = BranchAndBound.solve(one);
            assertThat(widths.gammas()).isEqualTo(plain.gammas());
            assertThat(Double.doubleToRawLongBits(widths.objective())).isEqualTo(Double.doubleToRawLongBits(plain.objective()));
            assertThat(Double.doubleToRawLongBits(widths.lowerBound()))
                    .isEqualTo(Double.doubleToRawLongBits(plain.lowerBound()));
            assertThat(widths.iterations()).isEqualTo(plain.iterations());
        }
    }

    /** The online search: feasible, no worse than P-SCA at full precision, and close to B&B. */
    @Test
    void theOnlineWidthSearchIsFeasibleAndCloseToBranchAndBound() {
        List<Double> gaps = new ArrayList<>();
        for (long seed = 0; gaps.size() < 30; seed++) {
            PlanningProblem problem = RandomInstances.withWidths(RandomInstances.draw(8, 5000 + seed), WIDTHS, C_QUANT, 0.9);
            GammaSolution global = BranchAndBound.solve(problem);
            if (!global.feasible()) {
                continue;
            }
            double[] cold = new double[problem.size()];
            Arrays.fill(cold, problem.maxGamma() / 2);
            int[] full = new int[problem.size()];
            Arrays.fill(full, WIDTHS.length - 1);
            GammaSolution online = WidthSearch.online(problem, cold, full);
            assertThat(online.feasible()).isTrue();
            PlanningProblem chosen = problem.atWidths(online.widths());
            PlanCheck.satisfiesEveryConstraint(chosen, ResourceAllocation.allocate(chosen, online.gammas()));
            assertThat(problem.objective(online.gammas(), online.widths())).isCloseTo(online.objective(), within(1e-12));
            GammaSolution fullPrecision = PenalizedSca.solve(problem.atWidths(full), cold);
            if (fullPrecision.feasible()) {
                assertThat(online.objective()).isLessThanOrEqualTo(fullPrecision.objective() * (1 + 1e-9));
            }
            gaps.add((online.objective() - global.objective()) / global.objective());
        }
        double[] sorted = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String distribution = String.format("relative gap of the online width search to B&B over %d instances: min %.2e, "
                + "median %.2e, max %.2e", sorted.length, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
        System.out.println(distribution);
        assertThat(sorted[0]).as(distribution).isGreaterThanOrEqualTo(-1.0001e-4);
        assertThat(sorted[sorted.length / 2]).as(distribution).isLessThanOrEqualTo(0.01);
    }

    @Test
    void theQuantisationTermFollowsItsFormula() {
        GeneralisationBound bound = RandomInstances.BOUND.withQuantisation(3);
        // c (1 − γ) / (2^q − 1)², written out: at q = 4, 15² = 225.
        assertThat(bound.quantisation(0.25, 4)).isCloseTo(3 * 0.75 / 225, within(1e-15));
        assertThat(bound.quantisation(0.25, 1)).isCloseTo(3 * 0.75, within(1e-15));
        assertThat(bound.quantisation(0.25, 32)).isZero();
        assertThat(RandomInstances.BOUND.quantisation(0.25, 4)).isZero();
        assertThat(bound.quantisation(0.5, 8)).isLessThan(bound.quantisation(0.25, 8)).isGreaterThan(bound.quantisation(0.5, 16));
    }

    private static double exhaustive(PlanningProblem problem) {
        return ExhaustiveSearch.best(problem, GRID);
    }
}
