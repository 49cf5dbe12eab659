package org.fedlodrop.models.profile;

/**
 * One adapted weight matrix {@code W_u ∈ R^{n1×n2}} of the frozen model, with its LoRA factors
 * {@code B_u ∈ R^{n1×r}} and {@code A_u ∈ R^{r×n2}} (docs/model.md eq. 1).
 *
 * @param name    the layer's name in the model, e.g. {@code layer.3.attention.query}
 * @param rows    n1, the output dimension: rows of W and of B
 * @param columns n2, the input dimension: columns of W and of A
 */
public record AdaptedLayer(String name, int rows, int columns) {
    public AdaptedLayer {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("layer " + name + " needs positive dimensions, got " + rows + "x" + columns);
        }
    }

    /** Trainable LoRA parameters of this layer at rank r: {@code r (n1 + n2)}. */
    public long loraParameters(int rank) {
        return (long) rank * ((long) rows + columns);
    }
}
