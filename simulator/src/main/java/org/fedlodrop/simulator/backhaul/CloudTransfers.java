package org.fedlodrop.simulator.backhaul;

/**
 * The backhaul's part of a round that ends with a cloud merge (docs/hierarchy.md): every cell sends its
 * model to the cloud at once, the cloud merges when the last has arrived, and sends the merged model back
 * to every cell at once.
 *
 * @param bits   each cell's model on the backhaul, each way
 * @param eachS  each cell's transfer time, by cell (the same both ways)
 */
public record CloudTransfers(double bits, double[] eachS) {
    public CloudTransfers {
        eachS = eachS.clone();
    }

    @Override
    public double[] eachS() {
        return eachS.clone();
    }

    public double eachS(int cell) {
        return eachS[cell];
    }

    /** Until the last cell's model has reached the cloud (and, the same both ways, the merged model every cell). */
    public double longestS() {
        double longest = 0;
        for (double s : eachS) {
            longest = Math.max(longest, s);
        }
        return longest;
    }

    /** Until the last cell's model has reached the cloud, and as long again for the merged model to reach every cell. */
    public double roundTripS() {
        return 2 * longestS();
    }
}
