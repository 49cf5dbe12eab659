package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend that the build selects loads on this machine and multiplies correctly. */
class Nd4jBackendTest {
    @Test
    void matrixProductMatchesNaiveLoops() {
        int n = 7;
        int m = 5;
        int p = 3;
        double[][] a = new double[n][m];
        double[][] b = new double[m][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                a[i][j] = Math.sin(i + 2.0 * j);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) {
                b[i][j] = Math.cos(3.0 * i - j);
            }
        }
        INDArray product = Nd4j.create(a).castTo(DataType.DOUBLE).mmul(Nd4j.create(b).castTo(DataType.DOUBLE));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                double expected = 0;
                for (int k = 0; k < m; k++) {
                    expected += a[i][k] * b[k][j];
                }
                assertThat(product.getDouble(i, j)).isCloseTo(expected, within(1e-12));
            }
        }
    }
}
