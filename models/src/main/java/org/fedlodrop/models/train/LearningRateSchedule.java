package org.fedlodrop.models.train;

/**
 * The learning rate over a device's local steps across the run, as PEFT fine-tuning recipes set it
 * (HuggingFace transformers' {@code get_linear_schedule_with_warmup} and
 * {@code get_cosine_schedule_with_warmup}, whose formulas these are): a linear warm-up from 0 over the
 * first {@code warmupShare} of the steps, then constant, a linear decay to 0, or a half cosine to 0.
 *
 * <p>A device's steps are counted as if it trained every round: in round ρ its local step j is step
 * {@code ρ S + j} of {@code R S}, with S its steps in a round (epochs × batches) and R the run's rounds,
 * so that the rate a device uses depends on the round alone, not on how often it was served.
 */
public record LearningRateSchedule(Kind kind, double warmupShare) {
    public enum Kind { CONSTANT, LINEAR, COSINE }

    /** A constant rate, no warm-up: what every run did before schedules existed. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0);

    public LearningRateSchedule {
        if (!(warmupShare >= 0 && warmupShare <= 1)) {
            throw new IllegalArgumentException("warm-up share " + warmupShare + " outside [0, 1]");
        }
    }

    /** The factor of the base rate at step {@code step} of {@code total} (from 0). */
    public double factor(long step, long total) {
        long warmup = (long) Math.ceil(warmupShare * total);
        if (step < warmup) {
            return step / (double) warmup;
        }
        return switch (kind) {
            case CONSTANT -> 1;
            case LINEAR -> Math.max(0, (total - step) / (double) Math.max(1, total - warmup));
            case COSINE -> {
                double progress = (step - warmup) / (double) Math.max(1, total - warmup);
                yield Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
            }
        };
    }

    /** Whether every step has factor 1: the schedule changes nothing. */
    public boolean isConstant() {
        return kind == Kind.CONSTANT && warmupShare == 0;
    }
}
