package org.fedlodrop.api.aggregation;

import java.util.List;

/**
 * The trainable part of the model: for each adapted layer u (in a fixed order) LoRA's A_u (r × n_in) and
 * B_u (n_out × r), and the classification head (weights c × h, bias 1 × c), which trains and travels whole.
 */
public record LoraState(List<Matrix> a, List<Matrix> b, Matrix headWeights, Matrix headBias) {
    public LoraState {
        a = List.copyOf(a);
        b = List.copyOf(b);
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("expected as many B as A matrices, got " + b.size() + " and " + a.size());
        }
    }

    public int layers() {
        return a.size();
    }
}
