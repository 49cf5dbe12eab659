package org.fedlodrop.simulator.planning;

import org.fedlodrop.api.planning.PlannerContext;
import org.fedlodrop.simulator.extension.BuiltIn;

/**
 * fedlodrop's planners (docs/model.md §5), registered in
 * {@code META-INF/services/org.fedlodrop.api.planning.PlannerExtension} as a plugin's are.
 */
public final class BuiltInPlanners {
    private BuiltInPlanners() {
    }

    /** Branch and bound every round: the certified global optimum of P. */
    public static final class Bnb extends BuiltIn.Named implements BuiltInPlanner {
        public Bnb() {
            super("bnb",
                    "branch and bound every round: the certified global optimum of P");
        }

        @Override
        public RoundPlanner roundPlanner(CellProblems problems, PlannerContext context) {
            return new OptimisingPlanner(false, problems, problems.scenario().planner().relativeGap());
        }
    }

    /** Branch and bound on the first round, then penalised SCA each round, warm-started. */
    public static final class Psca extends BuiltIn.Named implements BuiltInPlanner {
        public Psca() {
            super("psca",
                    "FedLoDrop's online planner: branch and bound on the first round, then penalised SCA, warm-started");
        }

        @Override
        public RoundPlanner roundPlanner(CellProblems problems, PlannerContext context) {
            return new OptimisingPlanner(true, problems, problems.scenario().planner().relativeGap());
        }
    }

    /** γ = 0 for all, resources optimised. */
    public static final class NoDropout extends BuiltIn.Named implements BuiltInPlanner {
        public NoDropout() {
            super("no-dropout",
                    "γ = 0 for every device, resources optimised");
        }

        @Override
        public RoundPlanner roundPlanner(CellProblems problems, PlannerContext context) {
            return RatePlanner.noDropout(problems);
        }
    }

    /** The given {@code dropout.rate} for all, resources optimised. */
    public static final class Fixed extends BuiltIn.Named implements BuiltInPlanner {
        public Fixed() {
            super("fixed",
                    "dropout.rate for every device, resources optimised");
        }

        @Override
        public RoundPlanner roundPlanner(CellProblems problems, PlannerContext context) {
            return RatePlanner.fixed(problems, context.dropoutRate());
        }
    }

    /** The given {@code dropout.rate} for all, equal bandwidth B/K, P_max and f_max. */
    public static final class Uniform extends BuiltIn.Named implements BuiltInPlanner {
        public Uniform() {
            super("uniform",
                    "dropout.rate for every device, equal bandwidth B/K, P_max and f_max");
        }

        @Override
        public RoundPlanner roundPlanner(CellProblems problems, PlannerContext context) {
            return new UniformPlanner(context.dropoutRate(), problems);
        }
    }

    /** γ drawn uniformly from [0, γ_max] for each device and round, resources optimised. */
    public static final class Random extends BuiltIn.Named implements BuiltInPlanner {
        public Random() {
            super("random",
                    "γ uniform in [0, dropout.max_rate] for each device and round, resources optimised");
        }

        @Override
        public RoundPlanner roundPlanner(CellProblems problems, PlannerContext context) {
            return RatePlanner.random(problems, context.random(), context.maxDropoutRate());
        }
    }
}
