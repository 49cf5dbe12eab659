package org.fedlodrop.models.train;

/**
 * Float32 products of the trained head, whose one side is the number of classes (two to a few): too
 * thin for a library call to pay ({@link BlasWorkspace} has the projections' products). Plain loops in a
 * fixed order, so results are the same on every run and thread.
 */
final class RowMajorProducts {
    private RowMajorProducts() {
    }

    /**
     * Rows {@code from} to {@code from + m} of C (·×n) += the same rows of A (·×k) times B (k×n): row i of C
     * gains A[i,p] times row p of B, for p in order.
     */
    static void addProduct(float[] c, float[] a, float[] b, int from, int m, int k, int n) {
        for (int i = from; i < from + m; i++) {
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

    /**
     * C (k×n) += Aᵀ B for rows {@code from} to {@code from + m} of A (·×k) and B (·×n): row q of C gains
     * A[i,q] times row i of B, for i in order.
     */
    static void addTransposedProduct(float[] c, float[] a, float[] b, int from, int m, int k, int n) {
        for (int i = from; i < from + m; i++) {
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

    /**
     * Rows {@code from} to {@code from + m} of C (·×n) = the same rows of A (·×k) times Bᵀ for B (n×k): each
     * entry a dot product of a row of A and a row of B.
     */
    static void productTransposed(float[] c, float[] a, float[] b, int from, int m, int k, int n) {
        for (int i = from; i < from + m; i++) {
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
}
