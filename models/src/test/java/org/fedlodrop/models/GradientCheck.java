package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences against analytic gradients, entry by entry, in double precision. */
public final class GradientCheck {
    /** Entries compared with a numeric derivative, and entries whose parameter does not touch the loss. */
    public record Counts(int checked, int zero) {
    }

    private GradientCheck() {
    }

    /** (parameter, gradient) pairs of every LoRA factor and the head. */
    public static List<INDArray[]> adapterPairs(org.fedlodrop.models.net.Adapter parameters,
                                         org.fedlodrop.models.net.Adapter gradients) {
        List<INDArray[]> pairs = new java.util.ArrayList<>();
        for (int u = 0; u < parameters.a().size(); u++) {
            pairs.add(new INDArray[] {parameters.a().get(u), gradients.a().get(u)});
            pairs.add(new INDArray[] {parameters.b().get(u), gradients.b().get(u)});
        }
        pairs.add(new INDArray[] {parameters.headWeights(), gradients.headWeights()});
        pairs.add(new INDArray[] {parameters.headBias(), gradients.headBias()});
        return pairs;
    }

    /**
     * Checks every entry of each (parameter, gradient) pair: relative error below 1e-4 where the loss
     * moves, exactly zero where it does not (a dropped LoRA entry, an unused embedding row).
     */
    public static Counts check(List<INDArray[]> pairs, DoubleSupplier loss) {
        double h = 1e-6;
        int checked = 0;
        int zero = 0;
        for (INDArray[] pair : pairs) {
            INDArray parameter = pair[0];
            INDArray analytic = pair[1];
            assertThat(analytic.shape()).isEqualTo(parameter.shape());
            for (long i = 0; i < parameter.length(); i++) {
                double original = parameter.getDouble(i);
                parameter.putScalar(i, original + h);
                double up = loss.getAsDouble();
                parameter.putScalar(i, original - h);
                double down = loss.getAsDouble();
                parameter.putScalar(i, original);
                double numeric = (up - down) / (2 * h);
                double exact = analytic.getDouble(i);
                if (numeric == 0) {
                    assertThat(exact).as("entry %d of a parameter that does not touch the loss", i).isZero();
                    zero++;
                } else {
                    assertThat(Math.abs(exact - numeric) / Math.max(Math.abs(numeric), 1e-6))
                            .as("entry %d: analytic %s, numeric %s", i, exact, numeric).isLessThan(1e-4);
                    checked++;
                }
            }
        }
        return new Counts(checked, zero);
    }
}
