package org.fedlodrop.models.family.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.random.Variates;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a transformer's whole base (embeddings and every projection) and a head on a source task,
 * with AdamW: what {@code fedlodrop pretrain} saves as the frozen base of later LoRA fine-tuning.
 */
public final class Pretraining {
    /** Epochs, batch size, learning rate and decoupled weight decay. */
    public record Settings(int epochs, int batchSize, double learningRate, double weightDecay) {
    }

    /** What is reported after each epoch. */
    public interface Listener {
        void epoch(int epoch, double trainLoss);
    }

    /** The trained base and head, and the mean training loss of each epoch. */
    public record Result(TransformerClassifier.Weights weights, INDArray headWeights, INDArray headBias,
                         double[] epochLosses) {
    }

    private Pretraining() {
    }

    public static Result train(TransformerClassifier model, Dataset data, Settings settings, RandomGenerator random,
                               Listener listener) {
        TransformerClassifier.Weights weights = model.weights().copy();
        TransformerClassifier current = new TransformerClassifier(model.shape(), weights, model.adapted(),
                model.layers().get(0).scale(), model.dataType());
        INDArray head = Nd4j.zeros(model.dataType(), model.classes(), model.shape().width());
        INDArray bias = Nd4j.zeros(model.dataType(), 1, model.classes());
        List<INDArray> parameters = new ArrayList<>(weights.arrays());
        parameters.add(head);
        parameters.add(bias);
        List<INDArray> first = parameters.stream().map(INDArray::like).toList();
        List<INDArray> second = parameters.stream().map(INDArray::like).toList();
        double beta1 = 0.9;
        double beta2 = 0.999;
        long step = 0;
        double[] losses = new double[settings.epochs()];
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = Variates.permutation(data.size(), random);
            double sum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += settings.batchSize()) {
                Dataset batch = data.select(java.util.Arrays.copyOfRange(order, from,
                        Math.min(order.length, from + settings.batchSize())));
                TransformerClassifier.FullGradients g = current.fullGradients(head, bias, batch.features(), batch.labels());
                sum += g.loss();
                batches++;
                List<INDArray> gradients = new ArrayList<>(g.base().arrays());
                gradients.add(g.headWeights());
                gradients.add(g.headBias());
                step++;
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                for (int i = 0; i < parameters.size(); i++) {
                    INDArray p = parameters.get(i);
                    INDArray grad = gradients.get(i);
                    first.get(i).muli(beta1).addi(grad.mul(1 - beta1));
                    second.get(i).muli(beta2).addi(grad.mul(grad).muli(1 - beta2));
                    INDArray update = first.get(i).div(c1).divi(Transforms.sqrt(second.get(i).div(c2), false).addi(1e-8));
                    update.addi(p.mul(settings.weightDecay()));
                    p.subi(update.muli(settings.learningRate()));
                }
            }
            losses[epoch] = sum / batches;
            listener.epoch(epoch, losses[epoch]);
        }
        return new Result(weights, head, bias, losses);
    }
}
