package org.fedlodrop.simulator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DevicePieces} against the scan it replaces: at every multiplier tried, the same piece (the same bits of
 * its cost and band), on random pieces shaped like branch and bound's (cost U-shaped, band falling), on
 * degenerate ones (ties, repeated points, collinear runs, infinite bands) and at the multipliers where the
 * choice changes; and every multiplier in a certified range gives the piece the range was certified for.
 */
class DevicePiecesTest {

    /** The rule of branch and bound's original scan over all pieces: least cost + μ band, then band, then first. */
    private static int scan(double[] cost, double[] band, double mu) {
        double bestValue = Double.POSITIVE_INFINITY;
        double bestBand = Double.POSITIVE_INFINITY;
        int best = 0;
        for (int j = 0; j < cost.length; j++) {
            double value = Double.isInfinite(band[j]) ? Double.POSITIVE_INFINITY : cost[j] + mu * band[j];
            if (value < bestValue || (value == bestValue && band[j] < bestBand)) {
                bestValue = value;
                bestBand = band[j];
                best = j;
            }
        }
        return best;
    }

    private static void assertSameChoices(double[] cost, double[] band, SplittableRandom random) {
        DevicePieces pieces = DevicePieces.of(cost, band);
        double[] range = new double[2];
        double[] multipliers = new double[400];
        for (int i = 0; i < multipliers.length; i++) {
            // From 0 through the breakpoints' scale to huge: log-uniform, with some exact ratios of the data.
            multipliers[i] = switch (i % 4) {
                case 0 -> 0;
                case 1 -> Math.pow(10, -14 + 28 * random.nextDouble());
                case 2 -> {
                    int a = random.nextInt(cost.length);
                    int b = random.nextInt(cost.length);
                    double ratio = (cost[a] - cost[b]) / (band[b] - band[a]);
                    yield Double.isFinite(ratio) && ratio >= 0 ? ratio : 1;
                }
                default -> Math.nextUp(Math.abs(cost[0] / Math.max(1, band[0]))) * random.nextDouble();
            };
        }
        for (double mu : multipliers) {
            int expected = scan(cost, band, mu);
            int position = pieces.best(mu, range);
            assertThat(pieces.piece(position)).as("μ = %s", mu).isEqualTo(expected);
            assertThat(Double.doubleToLongBits(pieces.band(position))).isEqualTo(Double.doubleToLongBits(band[expected]));
            if (!Double.isInfinite(band[expected])) {
                assertThat(Double.doubleToLongBits(pieces.cost(position))).isEqualTo(Double.doubleToLongBits(cost[expected]));
            }
            if (range[0] <= range[1]) {
                assertThat(mu >= range[0] && mu <= range[1]).as("μ = %s in [%s, %s]", mu, range[0], range[1]).isTrue();
                for (int t = 0; t < 20; t++) {
                    double inside = range[0] + (Math.min(range[1], range[0] + 1e6) - range[0]) * random.nextDouble();
                    assertThat(scan(cost, band, inside)).as("μ = %s certified in [%s, %s]", inside, range[0], range[1])
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void branchAndBoundShapedPiecesChooseAsTheScanAtEveryMultiplier() {
        SplittableRandom random = new SplittableRandom(1);
        for (int instance = 0; instance < 300; instance++) {
            int n = 1 + random.nextInt(80);
            double[] cost = new double[n];
            double[] band = new double[n];
            double optimum = random.nextDouble();
            double scale = Math.pow(10, 4 + 4 * random.nextDouble());
            for (int j = 0; j < n; j++) {
                double gamma = (j + random.nextDouble()) / n;
                cost[j] = 0.3 + 0.2 * (gamma - optimum) * (gamma - optimum) + 1e-3 * random.nextDouble();
                band[j] = scale * (1.2 - gamma) * (1 + 0.01 * random.nextDouble());
            }
            assertSameChoices(cost, band, random);
        }
    }

    @Test
    void degeneratePiecesChooseAsTheScan() {
        SplittableRandom random = new SplittableRandom(2);
        for (int instance = 0; instance < 300; instance++) {
            int n = 1 + random.nextInt(30);
            double[] cost = new double[n];
            double[] band = new double[n];
            for (int j = 0; j < n; j++) {
                // Few distinct values, so that costs, bands and whole points repeat; collinear runs on a line.
                switch (random.nextInt(4)) {
                    case 0 -> {
                        cost[j] = random.nextInt(4);
                        band[j] = random.nextInt(4);
                    }
                    case 1 -> {
                        double t = random.nextInt(6);
                        cost[j] = 5 - t;
                        band[j] = 2 * t;
                    }
                    case 2 -> {
                        cost[j] = random.nextDouble();
                        band[j] = random.nextInt(10) == 0 ? Double.POSITIVE_INFINITY : 1e9 * random.nextDouble();
                    }
                    default -> {
                        cost[j] = 1 + 1e-15 * random.nextInt(3);
                        band[j] = 1e8 * (1 + 1e-15 * random.nextInt(3));
                    }
                }
            }
            assertSameChoices(cost, band, random);
        }
        // Every piece needs more than any band: the first piece, at infinite band and no cost.
        DevicePieces none = DevicePieces.of(new double[] {0.4, 0.2}, new double[] {Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY});
        double[] range = new double[2];
        int position = none.best(1e-6, range);
        assertThat(none.piece(position)).isZero();
        assertThat(none.band(position)).isInfinite();
        assertThat(none.cost(position)).isZero();
        assertThat(range[0]).isGreaterThan(range[1]);
    }
}
