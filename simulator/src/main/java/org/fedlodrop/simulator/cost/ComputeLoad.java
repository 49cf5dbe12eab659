package org.fedlodrop.simulator.cost;

import org.fedlodrop.models.profile.ModelProfile;

/**
 * Processor cycles per training sample: c_0 for the frozen model's forward and backward pass, c_1
 * for the full LoRA part, which dropout shrinks (docs/model.md eq. 12).
 */
public record ComputeLoad(double frozenCyclesPerSample, double loraCyclesPerSample) {
    /** From the nominal model's FLOPs per sample and the device's FLOPs per cycle. */
    public static ComputeLoad of(ModelProfile profile, int rank, double flopsPerCycle) {
        return new ComputeLoad(profile.frozenFlopsPerSample() / flopsPerCycle,
                profile.loraFlopsPerSample(rank) / flopsPerCycle);
    }

    /** {@code C_k = E · D_k · (c_0 + (1 − γ_k) c_1)}, docs/model.md eq. 12. */
    public double cycles(int localEpochs, long samples, double gamma) {
        return (double) localEpochs * samples * (frozenCyclesPerSample + (1 - gamma) * loraCyclesPerSample);
    }
}
