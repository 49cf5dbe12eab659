package org.fedlodrop.models.train;

/**
 * Float32 matrix products on row-major arrays, for {@link DenseTraining}. Written here rather than
 * taken from a library because at a simulation's sizes (a 10-row batch through 64-wide layers) the cost
 * that matters is per call, not per flop: ND4J pays tens of µs per operation through JNI, and a product
 * here is a plain loop the JIT compiles inline. Every loop runs in a fixed order, so results are the
 * same on every run and thread.
 */
final class RowMajorProducts {
    private RowMajorProducts() {
    }

    /** C (m×n) += A (m×k) B (k×n): row i of C gains A[i,p] times row p of B, for p in order. */
    static void addProduct(float[] c, float[] a, float[] b, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int row = i * n;
            int left = i * k;
            for (int p = 0; p < k; p++) {
                float factor = a[left + p];
                int right = p * n;
                for (int j = 0; j < n; j++) {
                    c[row + j] += factor * b[right + j];
                }
            }
        }
    }

    /** Up to this row length, and from {@link #FOUR_ROWS_FEWEST} rows, {@link #addProductByRows} updates four rows of C per row of B. */
    static final int FOUR_ROWS_WIDEST = 256;
    static final int FOUR_ROWS_FEWEST = 16;

    /**
     * C (m×n) += A (m×k) B for B given as its k rows: as {@link #addProduct}, but the rows of C are
     * accumulated in the arrays of {@code rows} (four, each at least n long) and every inner loop runs
     * over arrays from index 0. Only then does HotSpot's C2 (JDK 17) turn the loop into SIMD
     * instructions: it cannot rule out that two arrays at different offsets overlap. Rows up to
     * {@link #FOUR_ROWS_WIDEST} long are updated four at a time, so that each row of B is loaded once
     * for four; wider ones one at a time, which measured faster there, and so are the products of a
     * few rows (a 10-sample mlp batch ran at 137,000 samples/s four rows at a time against 120,000 to
     * 183,000 one at a time: no gain beyond this machine's noise). Measured on the 2-core reference
     * machine, GFLOP/s against {@link #addProduct}: 160×32×32 14.5 against 3.8; 10×64×64 18.1 against
     * 4.1; 64×512×512 (one row at a time) 29.3 against 5.2.
     */
    static void addProductByRows(float[] c, float[] a, float[][] b, int m, int k, int n, float[][] rows) {
        int i = 0;
        if (n <= FOUR_ROWS_WIDEST && m >= FOUR_ROWS_FEWEST) {
            float[] r0 = rows[0];
            float[] r1 = rows[1];
            float[] r2 = rows[2];
            float[] r3 = rows[3];
            for (; i + 3 < m; i += 4) {
                System.arraycopy(c, i * n, r0, 0, n);
                System.arraycopy(c, (i + 1) * n, r1, 0, n);
                System.arraycopy(c, (i + 2) * n, r2, 0, n);
                System.arraycopy(c, (i + 3) * n, r3, 0, n);
                int left = i * k;
                for (int p = 0; p < k; p++) {
                    float f0 = a[left + p];
                    float f1 = a[left + k + p];
                    float f2 = a[left + 2 * k + p];
                    float f3 = a[left + 3 * k + p];
                    float[] bp = b[p];
                    for (int j = 0; j < n; j++) {
                        float v = bp[j];
                        r0[j] += f0 * v;
                        r1[j] += f1 * v;
                        r2[j] += f2 * v;
                        r3[j] += f3 * v;
                    }
                }
                System.arraycopy(r0, 0, c, i * n, n);
                System.arraycopy(r1, 0, c, (i + 1) * n, n);
                System.arraycopy(r2, 0, c, (i + 2) * n, n);
                System.arraycopy(r3, 0, c, (i + 3) * n, n);
            }
        }
        float[] row = rows[0];
        for (; i < m; i++) {
            System.arraycopy(c, i * n, row, 0, n);
            int left = i * k;
            for (int p = 0; p < k; p++) {
                axpy(row, a[left + p], b[p], n);
            }
            System.arraycopy(row, 0, c, i * n, n);
        }
    }

    /**
     * C (k×n) += Aᵀ B for A (m×k) and B (m×n), as {@link #addTransposedProduct} and in the same order of
     * summation, with B's rows first copied into {@code rows} (at least m arrays of n) and each row of C
     * accumulated in {@code row}, so that the inner loops vectorise (see {@link #addProductByRows}).
     */
    static void addTransposedProductByRows(float[] c, float[] a, float[] b, int m, int k, int n, float[][] rows,
                                           float[] row) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(b, i * n, rows[i], 0, n);
        }
        for (int q = 0; q < k; q++) {
            System.arraycopy(c, q * n, row, 0, n);
            for (int i = 0; i < m; i++) {
                axpy(row, a[i * k + q], rows[i], n);
            }
            System.arraycopy(row, 0, c, q * n, n);
        }
    }

    /** y[0..n) += factor · x[0..n). */
    private static void axpy(float[] y, float factor, float[] x, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += factor * x[j];
        }
    }

    /** The rows of a row-major m×n matrix, each its own array. */
    static float[][] rows(float[] a, int m, int n) {
        float[][] rows = new float[m][];
        for (int i = 0; i < m; i++) {
            rows[i] = java.util.Arrays.copyOfRange(a, i * n, (i + 1) * n);
        }
        return rows;
    }

    /** C (k×n) += Aᵀ B for A (m×k) and B (m×n): row q of C gains A[i,q] times row i of B, for i in order. */
    static void addTransposedProduct(float[] c, float[] a, float[] b, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int left = i * k;
            int right = i * n;
            for (int q = 0; q < k; q++) {
                float factor = a[left + q];
                int row = q * n;
                for (int j = 0; j < n; j++) {
                    c[row + j] += factor * b[right + j];
                }
            }
        }
    }

    /** C (m×n) = A (m×k) Bᵀ for B (n×k): each entry a dot product of a row of A and a row of B. */
    static void productTransposed(float[] c, float[] a, float[] b, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int left = i * k;
            for (int j = 0; j < n; j++) {
                int right = j * k;
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[left + p] * b[right + p];
                }
                c[i * n + j] = sum;
            }
        }
    }

    /** The transpose (n×m) of a row-major m×n matrix. */
    static float[] transpose(float[] a, int m, int n) {
        float[] t = new float[a.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }
}
