package org.fedlodrop.models.train;

import java.util.Arrays;
import java.util.List;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.MlpClassifier;

/**
 * The {@code mlp} family for {@link DenseTraining}: h = tanh(x W0ᵀ + s (x Âᵀ) B̂ᵀ) per layer, then the
 * linear head and the mean cross-entropy, as {@link MlpClassifier} computes them with ND4J.
 */
final class DenseMlp implements DenseModel {
    private final DenseLinear[] layers;
    private final int rank;
    private final int classes;

    DenseMlp(MlpClassifier model, List<LoraMask> masks, int rank, BlasWorkspace workspace) {
        this.rank = rank;
        this.classes = model.classes();
        layers = new DenseLinear[model.layers().size()];
        for (int u = 0; u < layers.length; u++) {
            LoraLayer layer = model.layers().get(u);
            layers[u] = new DenseLinear(layer.frozen(), u, rank, layer.scale(), masks.get(u), workspace);
        }
    }

    @Override
    public DenseModel.Step step(int batch) {
        return new Step(batch);
    }

    /** The buffers of one step, sized for the largest batch and reused by every step. */
    private final class Step implements DenseModel.Step {
        /** activations[0] is the batch's input; activations[u + 1] the output of layer u after tanh. */
        private final float[][] activations = new float[layers.length + 1][];
        /** backward[u]: the loss's gradient with respect to activations[u]. */
        private final float[][] backward = new float[layers.length + 1][];
        private final float[][] projected = new float[layers.length][];
        private final float[][] gradients = new float[2 * layers.length + 2][];
        private final float[] logits;
        private final int hidden;

        Step(int batch) {
            int n = layers.length;
            hidden = layers[n - 1].outputs();
            activations[0] = new float[batch * layers[0].inputs()];
            backward[0] = new float[batch * layers[0].inputs()];
            for (int u = 0; u < n; u++) {
                activations[u + 1] = new float[batch * layers[u].outputs()];
                backward[u + 1] = new float[batch * layers[u].outputs()];
                projected[u] = new float[batch * rank];
                gradients[2 * u] = new float[rank * layers[u].inputs()];
                gradients[2 * u + 1] = new float[layers[u].outputs() * rank];
            }
            gradients[2 * n] = new float[classes * hidden];
            gradients[2 * n + 1] = new float[classes];
            logits = new float[batch * classes];
        }

        @Override
        public float[][] gradients() {
            return gradients;
        }

        @Override
        public int headWidth() {
            return hidden;
        }

        @Override
        public float[] headInputs(float[][] parameters, float[] features, int[] rows, int m) {
            int n = layers.length;
            int width = layers[0].inputs();
            for (int i = 0; i < m; i++) {
                System.arraycopy(features, rows[i] * width, activations[0], i * width, width);
            }
            for (int u = 0; u < n; u++) {
                layers[u].prepare(parameters);
                float[] y = activations[u + 1];
                layers[u].forward(activations[u], m, y, projected[u]);
                for (int e = 0; e < m * layers[u].outputs(); e++) {
                    y[e] = FloatFunctions.tanh(y[e]);
                }
            }
            return activations[n];
        }

        @Override
        public double lossAndGradients(float[][] parameters, float[] features, int[] rows, int m, int[] labels,
                                       boolean trainLora) {
            int n = layers.length;
            float[] h = headInputs(parameters, features, rows, m);
            double loss = DenseHead.lossAndGradients(h, m, hidden, classes, parameters[2 * n], parameters[2 * n + 1],
                    labels, logits, gradients[2 * n], gradients[2 * n + 1]);
            if (!trainLora) {
                return loss;
            }
            float[] dh = backward[n];
            DenseHead.inputGradient(logits, parameters[2 * n], m, classes, hidden, dh);
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
                layers[u].backward(dz, activations[u], projected[u], m, gradients, dx, true);
            }
            return loss;
        }
    }
}
