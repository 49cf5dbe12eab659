package org.fedlodrop.models.family.mlp;

import java.util.Arrays;
import java.util.List;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.train.BlasWorkspace;
import org.fedlodrop.models.train.DenseHead;
import org.fedlodrop.models.train.DenseLinear;
import org.fedlodrop.models.train.DenseModel;
import org.fedlodrop.models.train.FloatFunctions;
import org.fedlodrop.models.train.StepBatch;

/**
 * The {@code mlp} family for {@link DenseTraining}: h = tanh(x W0ᵀ + s (x Âᵀ) B̂ᵀ) per layer, then the
 * linear head and the mean cross-entropy, as {@link MlpClassifier} computes them with ND4J.
 */
final class DenseMlp implements DenseModel {
    private final BlasWorkspace workspace;
    private final DenseLinear[] layers;
    private final int members;
    private final int rank;
    private final int classes;

    /** For a cohort whose member d has masks {@code masks.get(d)}. */
    DenseMlp(MlpClassifier model, List<List<LoraMask>> masks, int rank, BlasWorkspace workspace) {
        this.workspace = workspace;
        this.members = masks.size();
        this.rank = rank;
        this.classes = model.classes();
        layers = new DenseLinear[model.layers().size()];
        for (int u = 0; u < layers.length; u++) {
            LoraLayer layer = model.layers().get(u);
            layers[u] = new DenseLinear(layer.frozen(), null, u, rank, layer.scale(), masks, workspace);
        }
    }

    @Override
    public DenseModel.Step step(int samples) {
        return new Step(samples);
    }

    /** The buffers of one step, sized for the most samples and reused by every step. */
    private final class Step implements DenseModel.Step {
        /** activations[0] is the batch's input; activations[u + 1] the output of layer u after tanh. */
        private final float[][] activations = new float[layers.length + 1][];
        /** backward[u]: the loss's gradient with respect to activations[u]. */
        private final float[][] backward = new float[layers.length + 1][];
        private final float[][] projected = new float[layers.length][];
        /** [member][parameter]. */
        private final float[][][] gradients;
        private final float[] logits;
        private final int hidden;

        Step(int samples) {
            int n = layers.length;
            hidden = layers[n - 1].outputs();
            activations[0] = new float[samples * layers[0].inputs()];
            backward[0] = new float[samples * layers[0].inputs()];
            for (int u = 0; u < n; u++) {
                activations[u + 1] = new float[samples * layers[u].outputs()];
                backward[u + 1] = new float[samples * layers[u].outputs()];
                projected[u] = new float[samples * rank];
            }
            gradients = DenseHead.gradientArrays(members, Arrays.asList(layers), n, rank, classes, hidden);
            logits = new float[samples * classes];
        }

        @Override
        public float[][] gradients(int member) {
            return gradients[member];
        }

        @Override
        public int headWidth() {
            return hidden;
        }

        @Override
        public float[] headInputs(StepBatch batch, float[][][] parameters) {
            int n = layers.length;
            int width = layers[0].inputs();
            for (int i = 0; i < batch.size(); i++) {
                float[] features = batch.features()[i];
                int[] rows = batch.rows()[i];
                for (int r = 0; r < batch.size(i); r++) {
                    System.arraycopy(features, rows[r] * width, activations[0], (batch.starts()[i] + r) * width, width);
                }
            }
            int m = batch.total();
            for (int u = 0; u < n; u++) {
                layers[u].prepare(batch.members(), parameters);
                float[] y = activations[u + 1];
                layers[u].forward(activations[u], batch.members(), batch.starts(), y, projected[u]);
                for (int e = 0; e < m * layers[u].outputs(); e++) {
                    y[e] = FloatFunctions.tanh(y[e]);
                }
            }
            return activations[n];
        }

        @Override
        public void lossAndGradients(StepBatch batch, float[][][] parameters, boolean trainLora, double[] losses) {
            int n = layers.length;
            float[] h = headInputs(batch, parameters);
            DenseHead.lossesAndGradients(workspace, batch, h, hidden, classes, parameters, 2 * n, logits, gradients,
                    losses);
            if (!trainLora) {
                return;
            }
            int m = batch.total();
            float[] dh = backward[n];
            DenseHead.inputGradients(workspace, batch, logits, parameters, 2 * n, classes, hidden, dh);
            for (int u = n - 1; u >= 0; u--) {
                float[] dz = backward[u + 1];
                float[] out = activations[u + 1];
                for (int e = 0; e < m * layers[u].outputs(); e++) {
                    dz[e] *= 1 - out[e] * out[e]; // tanh' = 1 − tanh²
                }
                float[] dx = u > 0 ? backward[u] : null;
                if (dx != null) {
                    Arrays.fill(dx, 0, m * layers[u].inputs(), 0);
                }
                layers[u].backward(dz, activations[u], projected[u], batch.members(), batch.starts(), gradients, dx,
                        true);
            }
        }
    }
}
