package org.fedlodrop.api.planning;

import java.util.random.RandomGenerator;

/**
 * What a planner may use besides each round's problem.
 *
 * @param dropoutRate    {@code dropout.rate}, the γ that fixed-rate planners use
 * @param maxDropoutRate {@code dropout.max_rate}, γ_max
 * @param random         the planner's own random stream, derived from the scenario's seed: a planner that
 *                       draws must draw from it alone, so that runs stay reproducible
 */
public record PlannerContext(double dropoutRate, double maxDropoutRate, RandomGenerator random) {
}
