package org.fedlodrop.simulator.wireless;

/**
 * What the planner knows of one device's serving-link gain g = L·|h|² for a round (docs/wireless.md,
 * "Planning for outage"): the estimate it is shown, the large-scale gain L (path loss and shadowing,
 * which change slowly and are taken as known), what it believes of the fading of the round's first
 * coherence block, and how many further blocks, each an independent draw of the fading model, the
 * round's transmissions may span.
 *
 * @param estimate    the gain the planner sees (csi.model), which a nominal plan takes as true
 * @param largeScale  L
 * @param first       the fading power of the first block given what the planner saw
 * @param laterBlocks further coherence blocks up to the deadline, unseen
 * @param later       the fading model's own distribution of an unseen block
 */
public record GainBelief(double estimate, double largeScale, FadingPower first, int laterBlocks, FadingPower later) {

    /** A gain seen exactly, on one coherence block: every plan takes it as it is. */
    public static GainBelief exact(double gain) {
        return new GainBelief(gain, gain, new FadingPower.Known(1), 0, new FadingPower.Known(1));
    }

    /**
     * Perfect CSI: the true gain, its first block's fading known exactly.
     *
     * @param prior the fading model's own distribution, for the unseen later blocks
     */
    public static GainBelief perfect(double trueGain, double largeScale, int laterBlocks, FadingPower prior) {
        return new GainBelief(trueGain, largeScale, new FadingPower.Known(trueGain / largeScale), laterBlocks, prior);
    }

    /**
     * Stale CSI: last round's sounding. Its fading is still this round's when the coherence block has not ended
     * (or the channel does not fade), else the block is a fresh draw of the fading model.
     */
    public static GainBelief stale(double previousGain, double previousLargeScale, boolean sameBlock, int laterBlocks,
                                   FadingPower prior) {
        boolean fades = !(prior instanceof FadingPower.Known);
        FadingPower first = sameBlock || !fades ? new FadingPower.Known(previousGain / previousLargeScale) : prior;
        return new GainBelief(previousGain, previousLargeScale, first, laterBlocks, prior);
    }

    /**
     * Noisy CSI: ĥ = h + e with e ~ CN(0, σ_e²), drawn from {@code random} (two Gaussians); the phase of h is
     * immaterial to |ĥ|², so h is taken real. After eq. W3, h | ĥ ~ CN(ĥ/(1 + σ_e²), σ_e²/(1 + σ_e²)), the
     * estimate's upward bias removed.
     */
    public static GainBelief noisy(double trueGain, double largeScale, double errorVariance, int laterBlocks,
                                   FadingPower prior, java.util.random.RandomGenerator random) {
        boolean fades = !(prior instanceof FadingPower.Known);
        double sd = Math.sqrt(errorVariance / 2);
        double fadingPower = trueGain / largeScale;
        double re = Math.sqrt(fadingPower) + sd * random.nextGaussian();
        double im = sd * random.nextGaussian();
        double seen = re * re + im * im;
        FadingPower first = fades
                ? new FadingPower.Circular(seen / ((1 + errorVariance) * (1 + errorVariance)), errorVariance / (1 + errorVariance))
                : prior;
        return new GainBelief(largeScale * seen, largeScale, first, laterBlocks, prior);
    }

    /**
     * The gain the link exceeds with probability at least 1 − ε over the whole round (eq. W5): with
     * later blocks, ε is split evenly between the first block and the worst of the later ones, and
     * the lower of the two quantiles is planned on. A gain known exactly on one block is the
     * estimate itself, so that a plan for outage equals the nominal plan under perfect CSI.
     */
    public double outageGain(double epsilon) {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("an outage probability is in (0, 1), got " + epsilon);
        }
        if (first instanceof FadingPower.Known && laterBlocks == 0) {
            return estimate;
        }
        double firstShare = laterBlocks == 0 ? epsilon : epsilon / 2;
        double power = first.quantile(firstShare);
        if (laterBlocks > 0) {
            // P(min of n independent blocks ≥ x) = (1 − F(x))^n ≥ 1 − ε/2  ⇔  F(x) ≤ 1 − (1 − ε/2)^(1/n).
            double perBlock = -Math.expm1(Math.log1p(-epsilon / 2) / laterBlocks);
            power = Math.min(power, later.quantile(perBlock));
        }
        return largeScale * power;
    }
}
