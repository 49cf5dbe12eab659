package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The global solver of P (docs/model.md §5): branch and bound over boxes of γ, best bound first, to a
 * certified relative gap.
 *
 * <p>Lower bound of a box: each device's interval is cut at the points where b^min is known into
 * pieces [a, c]; on a piece, G_k ≥ ρΦ_emp(a) + ρΦ_gap(c) (the increasing part at the low corner,
 * the decreasing part at the high corner) and b^min_k ≥ b^min_k(c) (b^min does not increase with
 * γ). The bound of the box is the Lagrangian dual of choosing one piece per device under the band,
 * maximised over the multiplier: a valid bound at any multiplier, and tight up to one device's piece
 * (the duality gap of a multiple-choice knapsack). A box whose most favourable corner already needs
 * Σ b^min(c) > B is pruned. Incumbents are feasible grid points read off the dual solution. Branching
 * halves the piece of the device whose piece is loosest, which also refines that device's grid.
 *
 * <p>Where each device also chooses its bits from several widths (issue 31), a device's pieces in a box are those
 * of every width the box still allows it (Φ_q falls with γ, so it joins the decreasing part at the high corner),
 * and the dual chooses a (piece, width) per device. When the pieces are tight but the device whose choice jumps
 * across the multiplier jumps between widths, the box is split on that device's widths instead of its interval;
 * so the search also ends, certified, where γ cannot move (γ_max = 0: widths alone). With one width the solver
 * is the one above, step for step.
 */
public final class BranchAndBound {
    /** Solver settings: the certified relative gap ε (docs/model.md default 1e-4), the first grid, a node limit. */
    public record Settings(double relativeGap, int initialPieces, long maxNodes) {
        public static Settings defaults() {
            return new Settings(1e-4, 32, 200_000);
        }
    }

    /** A point of a device's grid: γ, and b^min(γ) and the two parts of G_k(γ) at each width. */
    private record Point(double gamma, double[] bands, double increasing, double[] decreasings) {
        double band(int v) {
            return bands[v];
        }

        double decreasing(int v) {
            return decreasings[v];
        }

        double objective(int v) {
            return increasing + decreasings[v];
        }
    }

    /**
     * A box with its bound, its loosest chosen piece (device, midpoint, looseness) and where to split
     * it if its pieces are tight: at the device whose choice jumps across the optimal multiplier.
     */
    private record Box(double[] lo, double[] hi, long[] allowed, double lowerBound, int refineDevice, double refineAt,
                       double looseness, int splitDevice, double splitAt, long splitWidths) {
        /** Whether the box is split on a device's widths ({@code splitWidths} the ones the first child keeps). */
        boolean splitsWidths() {
            return splitWidths != 0;
        }
    }

    /** Per device the piece and the width of the choice (piece = position among the box's pieces of that width). */
    private record Choice(int[] piece, int[] width, double bandSum, double costSum) {
    }

    /**
     * Each device's pieces in a box, as the bound prices them ({@link DevicePieces}), and while the multiplier is
     * bisected each device's last choice with the range of multipliers over which it is certified: most devices
     * keep their piece from one multiplier to the next, and are not asked again.
     */
    private record PieceBounds(DevicePieces[] devices, int[] choice, double[] from, double[] to, double[] range) {
        PieceBounds(DevicePieces[] devices) {
            this(devices, new int[devices.length], filled(devices.length, Double.POSITIVE_INFINITY),
                    filled(devices.length, Double.NEGATIVE_INFINITY), new double[2]);
        }

        private static double[] filled(int n, double value) {
            double[] values = new double[n];
            java.util.Arrays.fill(values, value);
            return values;
        }

        /** The position of device k's piece at μ, from its last choice where μ is in that one's certified range. */
        int best(int k, double mu) {
            if (mu >= from[k] && mu <= to[k]) {
                return choice[k];
            }
            int best = devices[k].best(mu, range);
            choice[k] = best;
            from[k] = range[0];
            to[k] = range[1];
            return best;
        }
    }

    private final PlanningProblem problem;
    private final Settings settings;
    private final List<TreeMap<Double, Point>> grids = new ArrayList<>();
    /** Each grid's points in order of γ, and their γ, made again only when the grid has grown. */
    private final Point[][] sorted;
    private final double[][] sortedGammas;
    /**
     * Each device's priced pieces by the span of its grid a box covers (first and end position), while its grid
     * is unchanged: a box differs from its parent in one device's interval or one device's grid, so the others'
     * pieces are those of the parent (working them out again was a fifth of the solver's time).
     */
    private final java.util.Map<Long, DevicePieces>[] priced;
    /** As {@link #priced}, for boxes that allow a device only some of its widths: by span and allowed widths. */
    private final java.util.Map<java.util.List<Long>, DevicePieces>[] pricedSome;
    private final int widths;
    private final long allWidths;
    private double[] incumbent;
    private int[] incumbentWidths;
    private int[] zeros;
    private double upperBound = Double.POSITIVE_INFINITY;

    public BranchAndBound(PlanningProblem problem, Settings settings) {
        this.problem = problem;
        this.settings = settings;
        for (int k = 0; k < problem.size(); k++) {
            grids.add(new TreeMap<>());
        }
        this.sorted = new Point[problem.size()][];
        this.sortedGammas = new double[problem.size()][];
        @SuppressWarnings("unchecked")
        java.util.Map<Long, DevicePieces>[] maps = new java.util.Map[problem.size()];
        for (int k = 0; k < maps.length; k++) {
            maps[k] = new java.util.HashMap<>();
        }
        this.priced = maps;
        @SuppressWarnings("unchecked")
        java.util.Map<java.util.List<Long>, DevicePieces>[] some = new java.util.Map[problem.size()];
        for (int k = 0; k < some.length; k++) {
            some[k] = new java.util.HashMap<>();
        }
        this.pricedSome = some;
        this.widths = problem.widthCount();
        if (widths > 63) {
            throw new IllegalArgumentException("at most 63 bit widths, got " + widths);
        }
        this.allWidths = (1L << widths) - 1;
    }

    public static GammaSolution solve(PlanningProblem problem) {
        return new BranchAndBound(problem, Settings.defaults()).solve();
    }

    public GammaSolution solve() {
        int n = problem.size();
        double gammaMax = problem.maxGamma();
        List<String> unserved = Feasibility.unserved(problem);
        if (!unserved.isEmpty()) {
            return GammaSolution.infeasible(problem, unserved);
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i <= settings.initialPieces(); i++) {
                point(k, gammaMax * i / settings.initialPieces());
            }
        }
        double[] lo = new double[n];
        double[] hi = new double[n];
        java.util.Arrays.fill(hi, gammaMax);
        long[] all = new long[n];
        java.util.Arrays.fill(all, allWidths);
        PriorityQueue<Box> open = new PriorityQueue<>(Comparator.comparingDouble(Box::lowerBound));
        Box root = evaluate(lo, hi, all);
        if (root != null) {
            open.add(root);
        }
        if (incumbent == null) {
            throw new IllegalStateException("no feasible point found although γ_max fits the band");
        }
        long nodes = 1;
        // The least bound of the boxes set aside (pruned by bound, or settled): part of the certificate.
        double setAside = Double.POSITIVE_INFINITY;
        double lowerBound;
        while (true) {
            lowerBound = Math.min(Math.min(setAside, open.isEmpty() ? Double.POSITIVE_INFINITY : open.peek().lowerBound()),
                    upperBound);
            if (open.isEmpty() || upperBound - lowerBound <= settings.relativeGap() * Math.abs(upperBound)
                    || nodes >= settings.maxNodes()) {
                break;
            }
            Box box = open.poll();
            nodes++;
            if (box.refineDevice() < 0 && !box.splitsWidths()) {
                setAside = Math.min(setAside, box.lowerBound());
                continue;
            }
            List<Box> next = new ArrayList<>(2);
            if (box.refineDevice() >= 0
                    && box.looseness() > settings.relativeGap() * Math.abs(upperBound) / (2 * n)) {
                // A loose piece: refine that device's grid and bound the same box again. The grid is
                // shared by every box, so refinement costs O(K · depth), not a split per box.
                point(box.refineDevice(), box.refineAt());
                next.add(evaluate(box.lo(), box.hi(), box.allowed()));
            } else if (box.splitsWidths()) {
                // Tight pieces, and the device that jumps across the multiplier jumps between widths: split its widths.
                int k = box.splitDevice();
                long[] first = box.allowed().clone();
                first[k] = box.splitWidths();
                long[] second = box.allowed().clone();
                second[k] = box.allowed()[k] & ~box.splitWidths();
                next.add(evaluate(box.lo(), box.hi(), first));
                next.add(evaluate(box.lo(), box.hi(), second));
                nodes++;
            } else {
                // Tight pieces but a gap left: the duality gap of the coupling; split the box where
                // the multiplier makes a device jump between pieces.
                int k = box.splitDevice();
                double at = box.splitAt();
                point(k, at);
                double[] leftHi = box.hi().clone();
                leftHi[k] = at;
                double[] rightLo = box.lo().clone();
                rightLo[k] = at;
                next.add(evaluate(box.lo(), leftHi, box.allowed()));
                next.add(evaluate(rightLo, box.hi(), box.allowed()));
                nodes++;
            }
            for (Box child : next) {
                if (child == null) {
                    continue; // infeasible: no bound to keep
                }
                // Pruning keeps half the tolerance in hand, so a later, better incumbent cannot
                // push the certified gap past ε.
                if (child.lowerBound() >= upperBound - 0.5 * settings.relativeGap() * Math.abs(upperBound)) {
                    setAside = Math.min(setAside, child.lowerBound());
                } else {
                    open.add(child);
                }
            }
        }
        return new GammaSolution(incumbent, upperBound, lowerBound, nodes, List.of(), incumbentWidths);
    }

    private Point point(int k, double gamma) {
        TreeMap<Double, Point> grid = grids.get(k);
        int before = grid.size();
        Point point = grid.computeIfAbsent(gamma, g -> {
            double[] bands = new double[widths];
            double[] decreasings = new double[widths];
            for (int v = 0; v < widths; v++) {
                bands[v] = problem.minimumBandwidth(k, v, g);
                decreasings[v] = problem.decreasingPart(k, v, g);
            }
            return new Point(g, bands, problem.increasingPart(k, g), decreasings);
        });
        if (grid.size() != before) {
            sorted[k] = null;
            priced[k].clear();
            pricedSome[k].clear();
        }
        return point;
    }

    /** Device k's grid in order of γ (the TreeMap's own order, read into arrays when it has changed). */
    private Point[] sorted(int k) {
        if (sorted[k] == null) {
            Point[] points = grids.get(k).values().toArray(Point[]::new);
            double[] gammas = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                gammas[i] = points[i].gamma();
            }
            sorted[k] = points;
            sortedGammas[k] = gammas;
        }
        return sorted[k];
    }

    /**
     * The box's pieces per device: consecutive known points from lo to hi, both included (as the grid's
     * {@code subMap(lo, true, hi, true)}, read from the sorted arrays: the map's views were a tenth of the time).
     */
    private List<Point[]> pieces(double[] lo, double[] hi, long[] spans) {
        List<Point[]> pieces = new ArrayList<>(lo.length);
        for (int k = 0; k < lo.length; k++) {
            Point[] points = sorted(k);
            double[] gammas = sortedGammas[k];
            int first = firstAtLeast(gammas, lo[k]);
            int end = firstAbove(gammas, hi[k]);
            spans[k] = ((long) first << 32) | end;
            pieces.add(java.util.Arrays.copyOfRange(points, first, end));
        }
        return pieces;
    }

    /**
     * The box's pieces priced per device, from {@link #priced} where the device's span of its grid (first and end
     * position, from {@link #pieces}) was priced before.
     */
    private PieceBounds priced(long[] spans, List<Point[]> pieces, long[] allowed) {
        DevicePieces[] devices = new DevicePieces[spans.length];
        for (int k = 0; k < spans.length; k++) {
            Point[] points = pieces.get(k);
            long mask = allowed[k];
            devices[k] = mask == allWidths
                    ? priced[k].computeIfAbsent(spans[k], key -> price(points, mask))
                    : pricedSome[k].computeIfAbsent(List.of(spans[k], mask), key -> price(points, mask));
        }
        return new PieceBounds(devices);
    }

    /**
     * The lower cost a.increasing + c.decreasing and the lower band b^min(c) of each piece [a, c] at each allowed
     * width, the widths in increasing order: the i-th allowed width's pieces at positions i × count + j (with one
     * width, the pieces in order).
     */
    private static DevicePieces price(Point[] points, long allowed) {
        int count = Math.max(1, points.length - 1);
        int open = Long.bitCount(allowed);
        double[] cost = new double[count * open];
        double[] band = new double[count * open];
        int i = 0;
        for (long rest = allowed; rest != 0; rest &= rest - 1, i++) {
            int v = Long.numberOfTrailingZeros(rest);
            for (int j = 0; j < count; j++) {
                Point a = points[j];
                Point c = points[Math.min(j + 1, points.length - 1)];
                cost[i * count + j] = a.increasing() + c.decreasing(v);
                band[i * count + j] = c.band(v);
            }
        }
        return DevicePieces.of(cost, band);
    }

    /** The width of position {@code position} among a device's priced pieces ({@link #price}). */
    private static int widthOf(int position, int count, long allowed) {
        long rest = allowed;
        for (int i = position / count; i > 0; i--) {
            rest &= rest - 1;
        }
        return Long.numberOfTrailingZeros(rest);
    }

    /** The index of the first γ ≥ value (the length if none), in the order of the grid's Double keys. */
    private static int firstAtLeast(double[] gammas, double value) {
        return firstPast(gammas, value, -1);
    }

    /** The index of the first γ > value (the length if none). */
    private static int firstAbove(double[] gammas, double value) {
        return firstPast(gammas, value, 0);
    }

    /** Binary search for the first γ with Double.compare(γ, value) > limit. */
    private static int firstPast(double[] gammas, double value, int limit) {
        int low = 0;
        int high = gammas.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (Double.compare(gammas[middle], value) <= limit) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Lower bound, incumbent update and branching choice of a box; null if the box is infeasible. */
    private Box evaluate(double[] lo, double[] hi, long[] allowed) {
        long[] spans = new long[lo.length];
        List<Point[]> pieces = pieces(lo, hi, spans);
        double cheapestBands = 0;
        for (int k = 0; k < pieces.size(); k++) {
            Point last = pieces.get(k)[pieces.get(k).length - 1];
            double least = Double.POSITIVE_INFINITY;
            for (long rest = allowed[k]; rest != 0; rest &= rest - 1) {
                least = Math.min(least, last.band(Long.numberOfTrailingZeros(rest)));
            }
            cheapestBands += least;
        }
        if (!(cheapestBands <= problem.bandwidthHz())) {
            return null; // even the most favourable corner needs more than the band
        }
        double bandwidth = problem.bandwidthHz();
        PieceBounds bounds = priced(spans, pieces, allowed);
        int[] counts = new int[pieces.size()];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = Math.max(1, pieces.get(k).length - 1);
        }
        Choice free = choose(bounds, 0, counts, allowed);
        double best;
        Choice feasible;
        Choice infeasible;
        if (free.bandSum() <= bandwidth) {
            best = free.costSum();
            feasible = free;
            infeasible = free;
        } else {
            double muLo = 0;
            double muHi = 1e-12;
            Choice low = free;
            Choice high = choose(bounds, muHi, counts, allowed);
            while (high.bandSum() > bandwidth && muHi < 1e300) {
                muLo = muHi;
                low = high;
                muHi *= 4;
                high = choose(bounds, muHi, counts, allowed);
            }
            best = Math.max(free.costSum(), dual(high, muHi, bandwidth));
            for (int i = 0; i < 80; i++) {
                double mu = 0.5 * (muLo + muHi);
                if (mu == muLo || mu == muHi) {
                    // The bracket is one ulp wide: every step left would price the same end again, with the
                    // same choice, and change nothing but take this dual once more.
                    best = Math.max(best, mu == muLo ? dual(low, muLo, bandwidth) : dual(high, muHi, bandwidth));
                    break;
                }
                Choice choice = choose(bounds, mu, counts, allowed);
                best = Math.max(best, dual(choice, mu, bandwidth));
                if (choice.bandSum() > bandwidth) {
                    muLo = mu;
                    low = choice;
                } else {
                    muHi = mu;
                    high = choice;
                }
            }
            feasible = high;
            infeasible = low;
        }
        improveIncumbent(pieces, feasible);
        // Refinement target: the device whose chosen piece is loosest, at the middle of that piece.
        int refine = -1;
        double loosest = -1;
        double refineAt = 0;
        for (int k = 0; k < pieces.size(); k++) {
            Point[] points = pieces.get(k);
            if (points.length < 2) {
                continue;
            }
            int v = feasible.width()[k];
            Point a = points[feasible.piece()[k]];
            Point c = points[feasible.piece()[k] + 1];
            double looseness = Math.max(a.objective(v), c.objective(v)) - (a.increasing() + c.decreasing(v));
            if (c.gamma() - a.gamma() > 1e-12 && looseness > loosest) {
                loosest = looseness;
                refine = k;
                refineAt = 0.5 * (a.gamma() + c.gamma());
            }
        }
        // Split target: the device whose piece (or width) differs most between the two sides of the multiplier.
        int split = refine;
        double splitAt = refineAt;
        double widest = 0;
        long splitWidths = 0;
        for (int k = 0; k < pieces.size(); k++) {
            Point[] points = pieces.get(k);
            int a = infeasible.piece()[k];
            int b = feasible.piece()[k];
            int va = infeasible.width()[k];
            int vb = feasible.width()[k];
            if ((a != b && points.length > 1) || va != vb) {
                int last = points.length - 1;
                double jump = Math.abs(points[Math.min(a + 1, last)].band(va) - points[Math.min(b + 1, last)].band(vb));
                if (jump > widest) {
                    widest = jump;
                    split = k;
                    if (va != vb) {
                        // The widths up to the lower of the two in one child, the rest in the other.
                        splitWidths = allowed[k] & ((2L << Math.min(va, vb)) - 1);
                    } else {
                        splitWidths = 0;
                        double from = points[Math.min(a, b) + 1].gamma();
                        double to = points[Math.max(a, b)].gamma();
                        splitAt = from < to ? 0.5 * (from + to) : from;
                    }
                }
            }
        }
        if (splitWidths != 0) {
            return new Box(lo.clone(), hi.clone(), allowed.clone(), best, refine, refineAt, loosest, split, 0,
                    splitWidths);
        }
        if (refine < 0) {
            return new Box(lo.clone(), hi.clone(), allowed, best, -1, 0, 0, -1, 0, 0); // nothing left to split: settled
        }
        if (!(splitAt > lo[split] && splitAt < hi[split])) {
            split = refine;
            splitAt = refineAt;
        }
        return new Box(lo.clone(), hi.clone(), allowed.clone(), best, refine, refineAt, loosest, split, splitAt, 0);
    }

    private static double dual(Choice choice, double mu, double bandwidth) {
        return choice.costSum() + mu * (choice.bandSum() - bandwidth);
    }

    /**
     * Per device, the feasible piece (and width) minimising its lower cost + μ × its lower band (ties: the smaller
     * band).
     */
    private Choice choose(PieceBounds bounds, double mu, int[] counts, long[] allowed) {
        DevicePieces[] devices = bounds.devices();
        int n = devices.length;
        int[] chosen = new int[n];
        // With one width every choice is at width 0: the choice shares one array of zeros, read only, and the
        // loop below does not divide (this loop is most of the solver's time).
        int[] width = widths == 1 ? noWidths(n) : new int[n];
        double bandSum = 0;
        double costSum = 0;
        for (int k = 0; k < n; k++) {
            DevicePieces device = devices[k];
            int best = bounds.best(k, mu);
            int position = device.piece(best);
            if (widths == 1) {
                chosen[k] = position;
            } else {
                chosen[k] = position % counts[k];
                width[k] = widthOf(position, counts[k], allowed[k]);
            }
            bandSum += device.band(best);
            costSum += device.cost(best);
        }
        return new Choice(chosen, width, bandSum, costSum);
    }

    /** The zeros of {@link #choose} with one width, made once per solver. */
    private int[] noWidths(int n) {
        if (zeros == null || zeros.length != n) {
            zeros = new int[n];
        }
        return zeros;
    }

    /**
     * The high corners of the chosen pieces fit the band; move devices to the low corner of their piece (or, with
     * several widths, to another width) while the band allows and the objective falls, then keep the best point seen.
     */
    private void improveIncumbent(List<Point[]> pieces, Choice choice) {
        int n = pieces.size();
        Point[] at = new Point[n];
        int[] width = choice.width().clone();
        double band = 0;
        for (int k = 0; k < n; k++) {
            Point[] points = pieces.get(k);
            at[k] = points[Math.min(choice.piece()[k] + 1, points.length - 1)];
            band += at[k].band(width[k]);
        }
        if (!(band <= problem.bandwidthHz())) {
            return;
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int k = 0; k < n; k++) {
                // The grid's neighbours of the current point: its lowerEntry, then its higherEntry.
                Point[] points = sorted(k);
                double[] gammas = sortedGammas[k];
                int below = firstAtLeast(gammas, at[k].gamma()) - 1;
                int above = firstAbove(gammas, at[k].gamma());
                int v = width[k];
                for (int neighbour : new int[] {below, above}) {
                    if (neighbour < 0 || neighbour >= points.length) {
                        continue;
                    }
                    Point candidate = points[neighbour];
                    double newBand = band - at[k].band(v) + candidate.band(v);
                    if (newBand <= problem.bandwidthHz() && candidate.objective(v) < at[k].objective(v) - 1e-15) {
                        band = newBand;
                        at[k] = candidate;
                        moved = true;
                    }
                }
                for (int w = 0; widths > 1 && w < widths; w++) {
                    double newBand = band - at[k].band(width[k]) + at[k].band(w);
                    if (w != width[k] && newBand <= problem.bandwidthHz()
                            && at[k].objective(w) < at[k].objective(width[k]) - 1e-15) {
                        band = newBand;
                        width[k] = w;
                        moved = true;
                    }
                }
            }
        }
        double objective = 0;
        double[] gammas = new double[n];
        for (int k = 0; k < n; k++) {
            objective += at[k].objective(width[k]);
            gammas[k] = at[k].gamma();
        }
        if (objective < upperBound) {
            upperBound = objective;
            incumbent = gammas;
            incumbentWidths = width;
        }
    }
}
