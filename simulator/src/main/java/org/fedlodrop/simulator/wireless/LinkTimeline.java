package org.fedlodrop.simulator.wireless;

import java.util.function.DoubleUnaryOperator;

/**
 * A link's power gain over a round as a sequence of coherence blocks (docs/model.md §3): block i lasts
 * from {@code firstBlockStartNs + i · blockNs}; {@code blockNs = 0} means one block for the whole
 * round. A transmission that spans blocks sends at each block's rate until its bits are through.
 */
public record LinkTimeline(long firstBlockStartNs, long blockNs, double[] gains) {
    public LinkTimeline {
        if (gains.length == 0 || (blockNs == 0 && gains.length != 1)) {
            throw new IllegalArgumentException("a timeline needs one gain per block");
        }
        gains = gains.clone();
    }

    /** A copy: the timeline itself never changes once made. */
    @Override
    public double[] gains() {
        return gains.clone();
    }

    /** The gain of the first block, at the round's start. */
    public double firstGain() {
        return gains[0];
    }

    /** How many coherence blocks the timeline spans. */
    public int blocks() {
        return gains.length;
    }

    public static LinkTimeline constant(double gain) {
        return new LinkTimeline(0, 0, new double[] {gain});
    }


    private int block(long timeNs) {
        if (blockNs == 0 || timeNs <= firstBlockStartNs) {
            return 0;
        }
        return (int) Math.min((timeNs - firstBlockStartNs) / blockNs, gains.length - 1);
    }

    /**
     * Seconds to send {@code bits} starting at {@code startNs}, with {@code rate} giving bit/s for a
     * gain; infinite if the rate is zero from some block on.
     */
    public double transmissionS(long startNs, double bits, DoubleUnaryOperator rate) {
        if (bits <= 0) {
            return 0;
        }
        int i = block(startNs);
        if (blockNs == 0 || i == gains.length - 1) {
            return bits / rate.applyAsDouble(gains[i]);
        }
        double remaining = bits;
        double elapsed = 0;
        double blockLeft = (firstBlockStartNs + (i + 1) * blockNs - startNs) / 1e9;
        while (true) {
            double r = rate.applyAsDouble(gains[i]);
            if (i == gains.length - 1 || r * blockLeft >= remaining) {
                return elapsed + remaining / r;
            }
            remaining -= r * blockLeft;
            elapsed += blockLeft;
            i++;
            blockLeft = blockNs / 1e9;
        }
    }
}
