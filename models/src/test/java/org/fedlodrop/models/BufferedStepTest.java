package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Aggregator;
import org.fedlodrop.models.train.FederatedRounds;
import org.fedlodrop.models.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The buffered server step (FedBuff, docs/buffered.md) on a convex toy problem with a closed form: every "device"
 * takes one gradient step of f(x) = ½ (x − T)² with rate c from the model it downloaded, x' = base + c (T − base),
 * and its update arrives one server step late (two devices in a pipeline, one update per step, staleness 1). The
 * server rebases it and moves by f = η s(1): x_{t+1} = x_t + f c (T − x_{t−1}), so the error e = x − T follows
 * e_{t+1} = e_t − f c e_{t−1}, whose solution is α r1^t + β r2^t with r = (1 ± √(1 − 4 f c)) / 2.
 */
class BufferedStepTest {
    private static INDArray scalar(double value) {
        return Nd4j.create(new double[][] {{value}}).castTo(DataType.DOUBLE);
    }

    /** Every entry of the adapter (A, B and the head) set to x: all follow the same recurrence. */
    private static Adapter everywhere(double x) {
        return new Adapter(List.of(scalar(x)), List.of(scalar(x)), scalar(x), scalar(x));
    }

    @Test
    void staleUpdatesConvergeAsTheClosedFormSays() {
        double target = 3;
        double c = 0.2; // 4 f c < 1: real roots
        double eta = 1.2;
        double s = Math.pow(2, -0.5); // polynomial staleness, a = 0.5, τ = 1
        double f = eta * s;
        MlpClassifier model = new MlpClassifier(List.of(new LoraLayer(scalar(0.7), 1)), 1, DataType.DOUBLE);
        FederatedRounds server = new FederatedRounds(model, everywhere(0), AggregationMode.ZERO_FILL_MEAN, MaskMode.EXACT,
                new LocalTrainer.Settings(1, 1, 0.1, LocalTrainer.Optimizer.SGD, 0));
        List<LoraMask> full = List.of(LoraMask.full(1, 1));
        // Step 0 applies a fresh update from x0 = 0 (staleness 0, weight 1): x1 = c T.
        Adapter x0 = server.global();
        server.applyBuffered(List.of(new Aggregator.Update(everywhere(c * target), full, 10)), eta * 1.0);
        List<Double> xs = new ArrayList<>(List.of(0.0, server.global().a().get(0).getDouble(0)));
        Adapter previous = x0;
        for (int t = 1; t < 40; t++) {
            Adapter base = previous; // the update arriving now was trained on the model one step older
            double b = base.a().get(0).getDouble(0);
            Adapter trained = everywhere(b + c * (target - b));
            Adapter rebased = FederatedRounds.rebased(trained, base, server.global());
            previous = server.global();
            // One update, data weight 10, staleness weight s: the step moves η Σ D s / Σ D = η s of the way.
            server.applyBuffered(List.of(new Aggregator.Update(rebased, full, 10 * s)), eta * (10 * s) / 10);
            xs.add(server.global().a().get(0).getDouble(0));
        }
        // Closed form: e_0 = −T, e_1 = c T − T (x1 = η c T since the first step moves by η).
        double e0 = -target;
        double e1 = eta * c * target - target;
        double root = Math.sqrt(1 - 4 * f * c);
        double r1 = (1 + root) / 2;
        double r2 = (1 - root) / 2;
        double beta = (e1 - r1 * e0) / (r2 - r1);
        double alpha = e0 - beta;
        for (int t = 0; t < xs.size(); t++) {
            double closed = target + alpha * Math.pow(r1, t) + beta * Math.pow(r2, t);
            assertThat(xs.get(t)).as("step " + t).isCloseTo(closed, within(1e-9));
        }
        assertThat(xs.get(xs.size() - 1)).isCloseTo(target, within(1e-3)); // it converges to the minimiser
        // Every entry moved the same way: the head's bias too.
        assertThat(server.global().headBias().getDouble(0)).isCloseTo(xs.get(xs.size() - 1), within(1e-12));
    }

    /** At a step of 1 the buffered step is the synchronous one, bit for bit. */
    @Test
    void aStepOfOneIsTheSynchronousAggregation() {
        MlpClassifier model = new MlpClassifier(List.of(new LoraLayer(Nd4j.rand(DataType.DOUBLE, 4, 3), 1)), 2, DataType.DOUBLE);
        Adapter start = new Adapter(List.of(Nd4j.randn(DataType.DOUBLE, 2, 3)), List.of(Nd4j.randn(DataType.DOUBLE, 4, 2)),
                Nd4j.randn(DataType.DOUBLE, 2, 4), Nd4j.randn(DataType.DOUBLE, 1, 2));
        LocalTrainer.Settings training = new LocalTrainer.Settings(1, 1, 0.1, LocalTrainer.Optimizer.SGD, 0);
        FederatedRounds one = new FederatedRounds(model, start, AggregationMode.MASKED_MEAN, MaskMode.EXACT, training);
        FederatedRounds other = new FederatedRounds(model, start, AggregationMode.MASKED_MEAN, MaskMode.EXACT, training);
        List<Aggregator.Update> updates = List.of(
                new Aggregator.Update(start.copy(), List.of(LoraMask.draw(MaskMode.EXACT, 4, 3, 0.5,
                        new java.util.SplittableRandom(1))), 3),
                new Aggregator.Update(start.copy(), List.of(LoraMask.full(4, 3)), 5));
        one.apply(updates);
        other.applyBuffered(updates, 1);
        assertThat(other.global().a().get(0)).isEqualTo(one.global().a().get(0));
        assertThat(other.global().headWeights()).isEqualTo(one.global().headWeights());
    }
}
