package org.fedlodrop.simulator.wireless;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the planner sees of the channel each round, and what it may infer from that about the true gains
 * (docs/wireless.md, "Channel state information" and "Planning for outage", eqs. W2 to W4): the true gains
 * under {@link CsiModel#PERFECT}, a noisy estimate under {@link CsiModel#NOISY}, the previous round's under
 * {@link CsiModel#STALE}. Keeps the previous round's gains for the stale estimate; one per run, used by the
 * channel actor alone.
 */
public final class ChannelEstimates {
    private final CsiModel model;
    private final double errorVariance;
    private final FadingPower prior;
    /** Coherence block length; 0: one block per round. */
    private final long blockNs;
    /** Per device: the estimation noise of NOISY CSI. */
    private final RandomGenerator[] noise;
    private double[] previousGains;
    private double[] previousLargeScale;
    private long previousSoundingNs;

    /**
     * @param prior what is known of the fading's power: the fading model's, or known (1) under trace gains and
     *              flat fading, which have no random small-scale part to be wrong about
     */
    public ChannelEstimates(CsiModel model, double errorVariance, FadingPower prior, long blockNs, RandomGenerator[] noise) {
        this.model = model;
        this.errorVariance = errorVariance;
        this.prior = prior;
        this.blockNs = blockNs;
        this.noise = noise.clone();
    }

    /** The beliefs of a sounding at {@code nowNs}, one per device; remembers the true gains for the next. */
    public List<GainBelief> sound(long nowNs, double[] trueGains, double[] largeScale, LinkTimeline[] links) {
        List<GainBelief> beliefs = new ArrayList<>(trueGains.length);
        for (int k = 0; k < trueGains.length; k++) {
            int later = links[k].blocks() - 1;
            GainBelief belief;
            if (model == CsiModel.STALE && previousGains != null) {
                // Block fading: the last round's block is still the current one, or an independent draw.
                boolean sameBlock = blockNs > 0 && previousSoundingNs / blockNs == nowNs / blockNs;
                belief = GainBelief.stale(previousGains[k], previousLargeScale[k], sameBlock, later, prior);
            } else if (model == CsiModel.NOISY) {
                belief = GainBelief.noisy(trueGains[k], largeScale[k], errorVariance, later, prior, noise[k]);
            } else {
                belief = GainBelief.perfect(trueGains[k], largeScale[k], later, prior);
            }
            beliefs.add(belief);
        }
        previousGains = trueGains.clone();
        previousLargeScale = largeScale.clone();
        previousSoundingNs = nowNs;
        return List.copyOf(beliefs);
    }
}
