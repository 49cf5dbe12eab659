package org.fedlodrop.simulator.wireless;

import java.util.random.RandomGenerator;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * Log-normal shadowing X_σ in dB of the links from one base station to every device (docs/model.md eq. 9).
 * Independent per link, or spatially correlated after Gudmundson: corr(X_i, X_j) = exp(−d_ij / d_corr),
 * drawn as L·w with L the Cholesky factor of the correlation matrix and w i.i.d. N(0, σ²).
 */
public final class ShadowingField {
    private ShadowingField() {
    }

    public static double[] draw(double[] xM, double[] yM, double sigmaDb, double correlationM, RandomGenerator random) {
        int n = xM.length;
        double[] white = new double[n];
        for (int i = 0; i < n; i++) {
            white[i] = sigmaDb * random.nextGaussian();
        }
        if (correlationM <= 0 || n < 2 || sigmaDb == 0) {
            return white;
        }
        RealMatrix correlation = MatrixUtils.createRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double rho = Math.exp(-Math.hypot(xM[i] - xM[j], yM[i] - yM[j]) / correlationM);
                correlation.setEntry(i, j, rho);
                correlation.setEntry(j, i, rho);
            }
            // Devices at the same place would make the matrix singular; a tiny nugget keeps it definite.
            correlation.addToEntry(i, i, 1e-9);
        }
        RealMatrix lower = new CholeskyDecomposition(correlation, 1e-12, 1e-15).getL();
        return lower.operate(white);
    }

    /**
     * One step of the Gudmundson AR(1) process for a device that moved {@code movedM}:
     * X' = ρ X + √(1 − ρ²) σ w with ρ = exp(−moved / d_corr).
     */
    public static double evolve(double current, double movedM, double sigmaDb, double correlationM, RandomGenerator random) {
        double rho = correlationM > 0 ? Math.exp(-movedM / correlationM) : (movedM > 0 ? 0 : 1);
        return rho * current + Math.sqrt(1 - rho * rho) * sigmaDb * random.nextGaussian();
    }
}
