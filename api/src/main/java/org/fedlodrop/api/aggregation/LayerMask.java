package org.fedlodrop.api.aggregation;

/**
 * Which rows of B_u and columns of A_u a device kept at its dropout rate (docs/model.md eq. 2); what it
 * dropped it neither trained nor sent, and its values there are meaningless.
 */
public record LayerMask(boolean[] rows, boolean[] columns) {
    public LayerMask {
        rows = rows.clone();
        columns = columns.clone();
    }

    public boolean row(int i) {
        return rows[i];
    }

    public boolean column(int j) {
        return columns[j];
    }

    @Override
    public boolean[] rows() {
        return rows.clone();
    }

    @Override
    public boolean[] columns() {
        return columns.clone();
    }
}
