package org.fedlodrop.models.net;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainable part of a model: LoRA factors A_u (r×n2) and B_u (n1×r) of every adapted layer, and
 * the classification head (weights c×h, bias 1×c), which is trained and sent whole (docs/model.md §1).
 */
public record Adapter(List<INDArray> a, List<INDArray> b, INDArray headWeights, INDArray headBias) {
    public Adapter {
        a = List.copyOf(a);
        b = List.copyOf(b);
    }

    public Adapter copy() {
        List<INDArray> aCopy = new ArrayList<>();
        List<INDArray> bCopy = new ArrayList<>();
        a.forEach(x -> aCopy.add(x.dup()));
        b.forEach(x -> bCopy.add(x.dup()));
        return new Adapter(aCopy, bCopy, headWeights.dup(), headBias.dup());
    }

    public int layers() {
        return a.size();
    }

    /** Every array, in a fixed order: A_u, B_u for each layer, then head weights and bias (as optimisers see them). */
    public List<INDArray> arrays() {
        List<INDArray> list = new ArrayList<>();
        for (int u = 0; u < layers(); u++) {
            list.add(a.get(u));
            list.add(b.get(u));
        }
        list.add(headWeights);
        list.add(headBias);
        return list;
    }
}
