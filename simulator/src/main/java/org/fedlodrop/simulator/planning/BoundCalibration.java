package org.fedlodrop.simulator.planning;

import org.fedlodrop.simulator.bound.GeneralisationBound;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealVector;

/**
 * Fits the bound's constants (docs/model.md eqs. 7 and 8) to measured training losses and generalisation
 * gaps at a few dropout rates. Both fits are linear least squares once rearranged, with the
 * constants kept non-negative by dropping a feature whose coefficient comes out negative and fitting
 * the rest again:
 * <ul>
 * <li>Φ_emp(γ) = ε_0 + c_var γ/(1−γ) + c_reg s(γ): linear in (ε_0, c_var, c_reg); where some runs sent their
 *     uploads at q &lt; 32 bits, the training loss is Φ_emp(γ) + Φ_q(γ, q) with Φ_q = c_quant (1−γ)/(2^q − 1)²
 *     (eq. 7a), linear in c_quant too, fitted with the rest;</li>
 * <li>Φ_gap(γ)² · 2Dδ − M² = 24 M L² / (Λ + 2λ s(γ)), so 24 M L² / (2Dδ Φ_gap² − M²) = Λ + 2λ s(γ):
 *     linear in (Λ, λ), with L and δ kept as given and M lowered if the gaps are below its floor. Each
 *     point is weighted by 1/|dy/d gap| (first-order error propagation), so that the fit approximates
 *     least squares in the gaps rather than in the transformed values, which explode near the floor;
 *     the unweighted fit is kept instead if it happens to fit the gaps better, and a pattern search
 *     on (log Λ, log λ) then minimises the squared error of the gaps themselves.</li>
 * </ul>
 */
public final class BoundCalibration {
    /** One measurement: the rate, the bits of the uploads, the training loss and the gap (test − training loss) it gave. */
    public record Measurement(double gamma, double trainLoss, double gap, int bits) {
        /** A measurement at full precision. */
        public Measurement(double gamma, double trainLoss, double gap) {
            this(gamma, trainLoss, gap, GeneralisationBound.FULL_PRECISION);
        }

        boolean fullPrecision() {
            return bits >= GeneralisationBound.FULL_PRECISION;
        }
    }

    /** The fitted bound and the root-mean-square errors of both fits on the measurements. */
    public record Fit(GeneralisationBound bound, double empiricalRmse, double gapRmse) {
    }

    private BoundCalibration() {
    }

    public static Fit fit(List<Measurement> all, GeneralisationBound prior, long samples) {
        // Φ_gap does not depend on the bits: it is fitted to the full-precision runs alone.
        List<Measurement> measurements = all.stream().filter(Measurement::fullPrecision).toList();
        if (measurements.size() < 3) {
            throw new IllegalArgumentException("calibration needs at least 3 dropout rates at full precision, got "
                    + measurements.size());
        }
        boolean quantised = measurements.size() < all.size();
        double[][] empFeatures = new double[all.size()][];
        double[] empTargets = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Measurement measurement = all.get(i);
            double g = measurement.gamma();
            empFeatures[i] = quantised
                    ? new double[] {1, g / (1 - g), GeneralisationBound.sparsity(g),
                        (1 - g) * GeneralisationBound.quantisationVariance(measurement.bits())}
                    : new double[] {1, g / (1 - g), GeneralisationBound.sparsity(g)};
            empTargets[i] = measurement.trainLoss();
        }
        double[] emp = nonNegativeLeastSquares(empFeatures, empTargets);
        double cQuant = quantised ? emp[3] : prior.quantisationWeight();

        double l = prior.lipschitz();
        double delta = prior.confidence();
        // Φ_gap ≥ M / √(2Dδ) whatever the sparsity; if the measured gaps are smaller, M is lowered to
        // fit them (to 0.7 of the smallest measured gap's M), since M is as much a fitted constant here.
        double smallest = measurements.stream().mapToDouble(Measurement::gap).filter(g -> g > 0).min().orElse(0);
        double m = Math.min(prior.lossBound(), 0.7 * Math.sqrt(2 * samples * delta) * smallest);
        if (!(m > 0)) {
            throw new IllegalArgumentException("the measured generalisation gaps are not positive, so Φ_gap cannot be fitted");
        }
        List<double[]> gapFeatures = new ArrayList<>();
        List<Double> gapTargets = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (Measurement measurement : measurements) {
            double gap = measurement.gap();
            double denominator = 2 * samples * delta * gap * gap - m * m;
            if (gap > 0 && denominator > 0) {
                gapFeatures.add(new double[] {1, 2 * GeneralisationBound.sparsity(measurement.gamma())});
                gapTargets.add(24 * m * l * l / denominator);
                // 1/|dy/dgap| of y = 24ML²/(2Dδ gap² − M²): scaled so, a residual in y is about one in the gap.
                weights.add(denominator * denominator / (24 * m * l * l * 4 * samples * delta * gap));
            }
        }
        if (gapFeatures.size() < 2) {
            throw new IllegalArgumentException(String.format("the measured gaps are too small for the bound's form with "
                    + "M = %.3g, δ = %.3g and D = %d: 2Dδ·gap² must exceed M² at two rates at least; lower "
                    + "planner.bound.loss_bound", m, delta, samples));
        }
        double[][] features = gapFeatures.toArray(double[][]::new);
        double[] targets = gapTargets.stream().mapToDouble(Double::doubleValue).toArray();
        double[][] weightedFeatures = new double[features.length][];
        double[] weightedTargets = new double[targets.length];
        for (int i = 0; i < features.length; i++) {
            double w = weights.get(i);
            weightedFeatures[i] = new double[] {features[i][0] * w, features[i][1] * w};
            weightedTargets[i] = targets[i] * w;
        }
        // The plain fit in y lets points near the gap's floor, where y explodes, decide everything; the
        // weighted one approximates least squares in the gaps themselves. Keep whichever fits the gaps better.
        GeneralisationBound plain = bound(emp, m, l, delta, nonNegativeLeastSquares(features, targets));
        GeneralisationBound weighted = bound(emp, m, l, delta, nonNegativeLeastSquares(weightedFeatures, weightedTargets));
        GeneralisationBound start = gapRmse(weighted, measurements, samples) <= gapRmse(plain, measurements, samples)
                ? weighted : plain;
        GeneralisationBound bound = refine(start, measurements, samples).withQuantisation(cQuant);
        double empError = 0;
        for (Measurement measurement : all) {
            double fitted = bound.empirical(measurement.gamma()) + bound.quantisation(measurement.gamma(), measurement.bits());
            empError += Math.pow(fitted - measurement.trainLoss(), 2);
        }
        return new Fit(bound, Math.sqrt(empError / all.size()), gapRmse(bound, measurements, samples));
    }

    /**
     * Pattern search on (log Λ, log λ) for the least gap RMSE, from the linear fit: steps of a decade
     * in either coordinate, halved whenever none improves, down to 10^-8. Two parameters and a handful
     * of measurements make this cheap, and it needs no optimisation library; it never ends worse than
     * it started.
     */
    private static GeneralisationBound refine(GeneralisationBound start, List<Measurement> measurements, long samples) {
        double[] point = {Math.log10(Math.max(start.strongConvexity(), 1e-9)), Math.log10(Math.max(start.sparsityWeight(), 1e-9))};
        double best = gapRmse(withStability(start, point), measurements, samples);
        for (double step = 1; step > 1e-8; ) {
            boolean improved = false;
            for (int coordinate = 0; coordinate < 2; coordinate++) {
                for (double direction : new double[] {1, -1}) {
                    double[] next = point.clone();
                    next[coordinate] = Math.max(-9, Math.min(9, next[coordinate] + direction * step));
                    double error = gapRmse(withStability(start, next), measurements, samples);
                    if (error < best) {
                        best = error;
                        point = next;
                        improved = true;
                    }
                }
            }
            if (!improved) {
                step /= 2;
            }
        }
        GeneralisationBound refined = withStability(start, point);
        return gapRmse(refined, measurements, samples) <= gapRmse(start, measurements, samples) ? refined : start;
    }

    private static GeneralisationBound withStability(GeneralisationBound b, double[] logs) {
        return new GeneralisationBound(b.epsilon0(), b.cVar(), b.cReg(), b.lossBound(), b.lipschitz(), Math.pow(10, logs[0]),
                Math.pow(10, logs[1]), b.confidence());
    }

    private static GeneralisationBound bound(double[] emp, double m, double l, double delta, double[] stability) {
        return new GeneralisationBound(emp[0], emp[1], emp[2], m, l, Math.max(stability[0], 1e-9), stability[1], delta);
    }

    private static double gapRmse(GeneralisationBound bound, List<Measurement> measurements, long samples) {
        double error = 0;
        for (Measurement measurement : measurements) {
            error += Math.pow(bound.gap(measurement.gamma(), samples) - measurement.gap(), 2);
        }
        return Math.sqrt(error / measurements.size());
    }

    /** Least squares with every coefficient ≥ 0: fit, drop the most negative coefficient's feature, repeat. */
    static double[] nonNegativeLeastSquares(double[][] features, double[] targets) {
        int columns = features[0].length;
        boolean[] active = new boolean[columns];
        java.util.Arrays.fill(active, true);
        while (true) {
            int count = 0;
            for (boolean a : active) {
                count += a ? 1 : 0;
            }
            double[] coefficients = new double[columns];
            if (count == 0) {
                return coefficients;
            }
            double[][] reduced = new double[features.length][count];
            for (int i = 0; i < features.length; i++) {
                for (int j = 0, c = 0; j < columns; j++) {
                    if (active[j]) {
                        reduced[i][c++] = features[i][j];
                    }
                }
            }
            RealVector solution = new QRDecomposition(new Array2DRowRealMatrix(reduced, false))
                    .getSolver().solve(new ArrayRealVector(targets, false));
            int worst = -1;
            for (int j = 0, c = 0; j < columns; j++) {
                if (active[j]) {
                    coefficients[j] = solution.getEntry(c++);
                    if (coefficients[j] < 0 && (worst < 0 || coefficients[j] < coefficients[worst])) {
                        worst = j;
                    }
                }
            }
            if (worst < 0) {
                return coefficients;
            }
            active[worst] = false;
        }
    }
}
