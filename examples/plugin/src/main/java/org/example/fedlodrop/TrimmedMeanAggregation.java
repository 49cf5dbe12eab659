package org.example.fedlodrop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.api.aggregation.AggregationExtension;
import org.fedlodrop.api.aggregation.AggregationRule;
import org.fedlodrop.api.aggregation.DeviceUpdate;
import org.fedlodrop.api.aggregation.LoraState;
import org.fedlodrop.api.aggregation.Matrix;

/**
 * {@code dropout.aggregation: trimmed-mean}: each entry of A, B and the head becomes the coordinate-wise trimmed
 * mean (Yin et al., 2018) over the devices that kept it: their values sorted, the {@code trim} largest and smallest
 * dropped, the rest averaged without weights (a robust rule ignores the sizes devices claim). Where fewer than
 * 2 trim + 1 devices kept an entry, their plain mean; where none did, the global value stays.
 */
public final class TrimmedMeanAggregation implements AggregationExtension<TrimmedMeanAggregation.Settings> {
    /** {@code dropout.aggregation_settings}: values dropped from each end of every entry's sorted values. */
    public record Settings(int trim) {
    }

    @Override
    public String type() {
        return "trimmed-mean";
    }

    @Override
    public String summary() {
        return "coordinate-wise trimmed mean over the devices that kept each entry";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings(1);
    }

    @Override
    public List<SettingProblem> check(Settings settings) {
        if (settings.trim() < 0 || settings.trim() > 1000) {
            return List.of(new SettingProblem("trim", "expected 0 to 1000 values trimmed from each end, got " + settings.trim()));
        }
        return List.of();
    }

    @Override
    public AggregationRule build(Settings settings) {
        return (global, updates) -> aggregate(global, updates, settings.trim());
    }

    static LoraState aggregate(LoraState global, List<DeviceUpdate> updates, int trim) {
        List<Matrix> a = new ArrayList<>();
        List<Matrix> b = new ArrayList<>();
        for (int u = 0; u < global.layers(); u++) {
            int layer = u;
            // A_u is r × n_in: column j kept or not; B_u is n_out × r: row i kept or not.
            a.add(entrywise(global.a().get(u), updates, trim, d -> d.trained().a().get(layer),
                    (d, row, column) -> d.masks().get(layer).column(column)));
            b.add(entrywise(global.b().get(u), updates, trim, d -> d.trained().b().get(layer),
                    (d, row, column) -> d.masks().get(layer).row(row)));
        }
        Matrix head = entrywise(global.headWeights(), updates, trim, d -> d.trained().headWeights(), (d, row, column) -> true);
        Matrix bias = entrywise(global.headBias(), updates, trim, d -> d.trained().headBias(), (d, row, column) -> true);
        return new LoraState(a, b, head, bias);
    }

    private interface Kept {
        boolean kept(DeviceUpdate device, int row, int column);
    }

    private static Matrix entrywise(Matrix global, List<DeviceUpdate> updates, int trim,
                                    java.util.function.Function<DeviceUpdate, Matrix> part, Kept kept) {
        float[] result = global.values();
        List<float[]> values = updates.stream().map(d -> part.apply(d).values()).toList();
        double[] column = new double[updates.size()];
        for (int row = 0; row < global.rows(); row++) {
            for (int c = 0; c < global.columns(); c++) {
                int e = row * global.columns() + c;
                int n = 0;
                for (int d = 0; d < updates.size(); d++) {
                    if (kept.kept(updates.get(d), row, c)) {
                        column[n++] = values.get(d)[e];
                    }
                }
                if (n > 0) {
                    result[e] = (float) trimmedMean(column, n, trim);
                }
            }
        }
        return new Matrix(global.rows(), global.columns(), result);
    }

    /** The mean of the first n values without their {@code trim} smallest and largest (all n if too few). */
    static double trimmedMean(double[] values, int n, int trim) {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int cut = n > 2 * trim ? trim : 0;
        double sum = 0;
        for (int i = cut; i < n - cut; i++) {
            sum += sorted[i];
        }
        return sum / (n - 2 * cut);
    }
}
