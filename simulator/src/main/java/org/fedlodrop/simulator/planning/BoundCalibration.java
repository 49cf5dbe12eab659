package org.fedlodrop.simulator.planning;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealVector;

/**
 * Fits the bound's constants (MODEL.md eqs. 7 and 8) to measured training losses and generalisation
 * gaps at a few dropout rates. Both fits are linear least squares once rearranged, with the
 * constants kept non-negative by dropping a feature whose coefficient comes out negative and fitting
 * the rest again:
 * <ul>
 * <li>Φ_emp(γ) = ε_0 + c_var γ/(1−γ) + c_reg s(γ): linear in (ε_0, c_var, c_reg);</li>
 * <li>Φ_gap(γ)² · 2Dδ − M² = 24 M L² / (Λ + 2λ s(γ)), so 24 M L² / (2Dδ Φ_gap² − M²) = Λ + 2λ s(γ):
 *     linear in (Λ, λ), with L and δ kept as given and M lowered if the gaps are below its floor.</li>
 * </ul>
 */
public final class BoundCalibration {
    /** One measurement: the rate, the training loss and the gap (test − training loss) it gave. */
    public record Measurement(double gamma, double trainLoss, double gap) {
    }

    /** The fitted bound and the root-mean-square errors of both fits on the measurements. */
    public record Fit(GeneralisationBound bound, double empiricalRmse, double gapRmse) {
    }

    private BoundCalibration() {
    }

    public static Fit fit(List<Measurement> measurements, GeneralisationBound prior, long samples) {
        if (measurements.size() < 3) {
            throw new IllegalArgumentException("calibration needs at least 3 dropout rates, got " + measurements.size());
        }
        double[][] empFeatures = new double[measurements.size()][];
        double[] empTargets = new double[measurements.size()];
        for (int i = 0; i < measurements.size(); i++) {
            double g = measurements.get(i).gamma();
            empFeatures[i] = new double[] {1, g / (1 - g), GeneralisationBound.sparsity(g)};
            empTargets[i] = measurements.get(i).trainLoss();
        }
        double[] emp = nonNegativeLeastSquares(empFeatures, empTargets);

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
        for (Measurement measurement : measurements) {
            double denominator = 2 * samples * delta * measurement.gap() * measurement.gap() - m * m;
            if (measurement.gap() > 0 && denominator > 0) {
                gapFeatures.add(new double[] {1, 2 * GeneralisationBound.sparsity(measurement.gamma())});
                gapTargets.add(24 * m * l * l / denominator);
            }
        }
        if (gapFeatures.size() < 2) {
            throw new IllegalArgumentException(String.format("the measured gaps are too small for the bound's form with "
                    + "M = %.3g, δ = %.3g and D = %d: 2Dδ·gap² must exceed M² at two rates at least; lower "
                    + "planner.bound.loss_bound", m, delta, samples));
        }
        double[] stability = nonNegativeLeastSquares(gapFeatures.toArray(double[][]::new),
                gapTargets.stream().mapToDouble(Double::doubleValue).toArray());
        double strongConvexity = Math.max(stability[0], 1e-9);
        GeneralisationBound bound = new GeneralisationBound(emp[0], emp[1], emp[2], m, l, strongConvexity,
                stability[1], delta);
        double empError = 0;
        double gapError = 0;
        for (Measurement measurement : measurements) {
            empError += Math.pow(bound.empirical(measurement.gamma()) - measurement.trainLoss(), 2);
            gapError += Math.pow(bound.gap(measurement.gamma(), samples) - measurement.gap(), 2);
        }
        return new Fit(bound, Math.sqrt(empError / measurements.size()), Math.sqrt(gapError / measurements.size()));
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
