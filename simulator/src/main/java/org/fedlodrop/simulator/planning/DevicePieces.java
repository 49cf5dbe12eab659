package org.fedlodrop.simulator.planning;

import java.util.Arrays;

/**
 * One device's pieces in a box of {@link BranchAndBound}, as its Lagrangian bound prices them: piece j has
 * the lower cost {@code cost_j} and the lower band {@code band_j}, and at multiplier μ ≥ 0 the device takes
 * the piece of least {@code cost + μ band} (ties: the smaller band, then the first piece). The bound asks
 * this some sixty times per box for every device; three things make the answer cheap while keeping its bits:
 *
 * <ul>
 *   <li>Only pieces that can win are kept: piece i is dropped when some j costs no more and needs less band,
 *   or the same band and comes first. At every μ ≥ 0, j's price is then no higher in floating point too
 *   (rounding is monotone), and j wins or ties first, so the choice is the one over all pieces.</li>
 *   <li>The kept pieces' lower convex hull in the (band, cost) plane holds the exact minimiser at every μ (the
 *   multiple-choice knapsack's LP relaxation: Sinha and Zoltners, Operations Research 27(3), 1979; the hull by
 *   Andrew's monotone chain, 1979). The vertex for μ is found by bisection on the hull's slopes. A piece off the
 *   hull is dearer than the least price by at least its height above the hull, at every μ; so when every
 *   such height exceeds a generous bound ρ (C + μ B) on the rounding of the prices, the full scan's choice is
 *   among the hull's vertices priced within that bound of the least, and the scan's rule over those (usually
 *   one) gives it. Otherwise the kept pieces are scanned.</li>
 *   <li>A vertex that leads its hull neighbours by more than the bound keeps doing so over an interval of μ
 *   (the conditions are linear in μ), which {@link #best} reports, so that the caller need not ask again
 *   while the bisection of μ stays inside it.</li>
 * </ul>
 * {@code DevicePiecesTest} holds the choice to the full scan's, bit for bit, at thousands of multipliers.
 */
final class DevicePieces {
    /**
     * Relative size of the rounding the certificate allows for: a price {@code c + μ b} is within
     * 2⁻⁵² (|c| + μ b) of its exact value, and a height above the hull within a few times that; 2⁻⁴⁰ leaves
     * a factor of 4,096.
     */
    private static final double ROUNDING = 0x1p-40;

    private final int[] index;
    /** Every kept piece's position, 0 to n − 1: the order of the full scan. */
    private final int[] all;
    private final double[] cost;
    private final double[] band;
    /** Positions (in the arrays above) of the hull's vertices, by increasing band; empty: always scan. */
    private final int[] hull;
    /** Between vertices i and i + 1: the multiplier above which vertex i is cheaper (decreasing in i). */
    private final double[] breaks;
    /** The least height of a kept piece off the hull above the hull (infinite when every piece is a vertex). */
    private final double leastHeight;
    private final double largestCost;
    private final double largestBand;

    private DevicePieces(int[] index, double[] cost, double[] band) {
        this.index = index;
        this.all = java.util.stream.IntStream.range(0, cost.length).toArray();
        this.cost = cost;
        this.band = band;
        double maxCost = 0;
        double maxBand = 0;
        for (int j = 0; j < cost.length; j++) {
            maxCost = Math.max(maxCost, Math.abs(cost[j]));
            maxBand = Math.max(maxBand, Math.abs(band[j]));
        }
        this.largestCost = maxCost;
        this.largestBand = maxBand;
        int[] vertices = Double.isInfinite(maxBand) || Double.isNaN(maxBand) || Double.isNaN(maxCost)
                ? new int[0] : lowerHull(cost, band);
        this.hull = vertices;
        this.breaks = new double[Math.max(0, vertices.length - 1)];
        for (int i = 0; i + 1 < vertices.length; i++) {
            int a = vertices[i];
            int b = vertices[i + 1];
            breaks[i] = (cost[a] - cost[b]) / (band[b] - band[a]);
        }
        double[] heights = vertices.length == 0 ? new double[0] : heights(vertices, cost, band);
        boolean[] vertex = new boolean[cost.length];
        for (int v : vertices) {
            vertex[v] = true;
        }
        double least = Double.POSITIVE_INFINITY;
        for (int j = 0; j < heights.length; j++) {
            if (!vertex[j]) {
                least = Math.min(least, heights[j]);
            }
        }
        this.leastHeight = vertices.length == 0 ? Double.NEGATIVE_INFINITY : least;
    }

    /**
     * A device's pieces in their order, with their lower costs and bands. Pieces whose band is infinite never
     * win; when all are, the device takes the first piece at infinite band and no cost, as a scan would.
     */
    static DevicePieces of(double[] allCost, double[] allBand) {
        int[] kept = undominated(allCost, allBand);
        if (kept.length == 0) {
            return new DevicePieces(new int[] {0}, new double[] {0}, new double[] {Double.POSITIVE_INFINITY});
        }
        double[] cost = new double[kept.length];
        double[] band = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            cost[i] = allCost[kept[i]];
            band[i] = allBand[kept[i]];
        }
        return new DevicePieces(kept, cost, band);
    }

    /** The position among all the device's pieces of the kept piece at {@code position}. */
    int piece(int position) {
        return index[position];
    }

    double cost(int position) {
        return cost[position];
    }

    double band(int position) {
        return band[position];
    }

    /**
     * The position (among the kept pieces) of the piece the device takes at multiplier μ; {@code certified}
     * receives a range of multipliers around μ over which the same piece is certified by the same test (empty,
     * from &gt; to, when the answer came from a scan).
     */
    int best(double mu, double[] certified) {
        certified[0] = Double.POSITIVE_INFINITY;
        certified[1] = Double.NEGATIVE_INFINITY;
        double rounding = ROUNDING * (largestCost + mu * largestBand);
        if (hull.length == 0 || !(leastHeight > rounding)) {
            return scan(mu);
        }
        int low = 0;
        int high = breaks.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (breaks[middle] > mu) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        // Downhill along the hull from there (its prices are convex in the vertex), in case the slopes' rounding
        // put the search one vertex off.
        int at = low;
        double least = price(at, mu);
        while (at > 0 && price(at - 1, mu) < least) {
            least = price(--at, mu);
        }
        while (at + 1 < hull.length && price(at + 1, mu) < least) {
            least = price(++at, mu);
        }
        // The vertices priced within the rounding bound of the least: the piece the full scan takes is one of them
        // (the others, and the pieces off the hull, are dearer than the least by more than the bound).
        int from = at;
        int to = at;
        while (from > 0 && price(from - 1, mu) <= least + rounding) {
            from--;
        }
        while (to + 1 < hull.length && price(to + 1, mu) <= least + rounding) {
            to++;
        }
        if (from != to) {
            return scanHull(from, to, mu);
        }
        certify(at, certified);
        return hull[at];
    }

    /**
     * The multipliers at which vertex {@code at} leads its hull neighbours by more than the rounding bound
     * ρ (C + μ B), and the pieces off the hull are higher than it: linear conditions in μ, so an interval.
     * (Its ends are computed in floating point; ρ is thousands of times the prices' rounding, so that rounding of
     * the ends cannot matter.)
     */
    private void certify(int at, double[] certified) {
        double lower = 0;
        double upper = Double.POSITIVE_INFINITY;
        double fixed = ROUNDING * largestCost;
        double perMu = ROUNDING * largestBand;
        if (at > 0) {
            int left = hull[at - 1];
            int here = hull[at];
            // (c_left − c_here) − μ (b_here − b_left) > fixed + μ perMu
            upper = Math.min(upper, (cost[left] - cost[here] - fixed) / (band[here] - band[left] + perMu));
        }
        if (at + 1 < hull.length) {
            int here = hull[at];
            int right = hull[at + 1];
            // μ (b_right − b_here) − (c_here − c_right) > fixed + μ perMu
            double slope = band[right] - band[here] - perMu;
            if (!(slope > 0)) {
                return;
            }
            lower = Math.max(lower, (cost[here] - cost[right] + fixed) / slope);
        }
        if (perMu > 0) {
            upper = Math.min(upper, (leastHeight - fixed) / perMu);
        }
        if (lower < upper) {
            certified[0] = lower;
            certified[1] = upper;
        }
    }

    private double price(int vertex, double mu) {
        int j = hull[vertex];
        return cost[j] + mu * band[j];
    }

    /** The full scan's rule over the hull's vertices from..to, visited in the order of the pieces. */
    private int scanHull(int from, int to, double mu) {
        int[] candidates = Arrays.copyOfRange(hull, from, to + 1);
        Arrays.sort(candidates);
        return cheapest(candidates, mu);
    }

    /** Every kept piece in order, the rule of the full scan. */
    private int scan(double mu) {
        return cheapest(all, mu);
    }

    /** The full scan's rule over these kept pieces, visited in the given order: least price, then band, then first. */
    private int cheapest(int[] positions, double mu) {
        double bestValue = Double.POSITIVE_INFINITY;
        double bestBand = Double.POSITIVE_INFINITY;
        int best = positions[0];
        for (int j : positions) {
            double value = Double.isInfinite(band[j]) ? Double.POSITIVE_INFINITY : cost[j] + mu * band[j];
            if (value < bestValue || (value == bestValue && band[j] < bestBand)) {
                bestValue = value;
                bestBand = band[j];
                best = j;
            }
        }
        return best;
    }

    /**
     * The pieces with a finite band that no other dominates, in their order: piece i is dominated by j when
     * cost_j ≤ cost_i and (band_j < band_i, or band_j = band_i and j < i). Visiting the pieces by band and then
     * position, one is dominated exactly when the least cost among those visited before it is no more than its
     * own.
     */
    static int[] undominated(double[] cost, double[] band) {
        Integer[] visit = java.util.stream.IntStream.range(0, cost.length)
                .filter(j -> !Double.isInfinite(band[j]) && !Double.isNaN(band[j])).boxed().toArray(Integer[]::new);
        Arrays.sort(visit, (x, y) -> {
            int byBand = Double.compare(band[x], band[y]);
            return byBand != 0 ? byBand : Integer.compare(x, y);
        });
        boolean[] keep = new boolean[cost.length];
        double least = Double.POSITIVE_INFINITY;
        int kept = 0;
        for (int j : visit) {
            if (!(least <= cost[j])) {
                keep[j] = true;
                kept++;
            }
            least = Math.min(least, cost[j]);
        }
        int[] result = new int[kept];
        int at = 0;
        for (int j = 0; j < cost.length; j++) {
            if (keep[j]) {
                result[at++] = j;
            }
        }
        return result;
    }

    /** The lower convex hull of the points (band, cost), by increasing band (Andrew's monotone chain). */
    private static int[] lowerHull(double[] cost, double[] band) {
        Integer[] order = new Integer[cost.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> {
            int byBand = Double.compare(band[x], band[y]);
            return byBand != 0 ? byBand : Double.compare(cost[x], cost[y]);
        });
        int[] chain = new int[order.length];
        int size = 0;
        for (int p : order) {
            if (size > 0 && band[chain[size - 1]] == band[p]) {
                continue; // the same band at a higher cost lies above the hull
            }
            while (size >= 2 && !turnsLeft(chain[size - 2], chain[size - 1], p, cost, band)) {
                size--;
            }
            chain[size++] = p;
        }
        return Arrays.copyOf(chain, size);
    }

    /** Whether o → a → b turns counter-clockwise in the (band, cost) plane (a is a vertex of the lower hull). */
    private static boolean turnsLeft(int o, int a, int b, double[] cost, double[] band) {
        double cross = (band[a] - band[o]) * (cost[b] - cost[o]) - (cost[a] - cost[o]) * (band[b] - band[o]);
        return cross > 0;
    }

    /** Each kept piece's height above the hull (0 for its vertices). */
    private static double[] heights(int[] vertices, double[] cost, double[] band) {
        boolean[] vertex = new boolean[cost.length];
        for (int v : vertices) {
            vertex[v] = true;
        }
        double[] heights = new double[cost.length];
        for (int j = 0; j < cost.length; j++) {
            if (vertex[j]) {
                continue;
            }
            // The hull edge over band_j (the pieces span the hull's bands: its ends are the extreme pieces).
            int right = 0;
            while (right < vertices.length && band[vertices[right]] < band[j]) {
                right++;
            }
            if (right == vertices.length) {
                heights[j] = cost[j] - cost[vertices[vertices.length - 1]];
            } else if (band[vertices[right]] == band[j] || right == 0) {
                heights[j] = cost[j] - cost[vertices[right]];
            } else {
                int a = vertices[right - 1];
                int b = vertices[right];
                double share = (band[j] - band[a]) / (band[b] - band[a]);
                heights[j] = cost[j] - (cost[a] + share * (cost[b] - cost[a]));
            }
        }
        return heights;
    }
}
