package org.example.fedlodrop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fedlodrop.api.aggregation.DeviceUpdate;
import org.fedlodrop.api.aggregation.LayerMask;
import org.fedlodrop.api.aggregation.LoraState;
import org.fedlodrop.api.aggregation.Matrix;
import org.junit.jupiter.api.Test;

class ExamplePluginTest {
    @Test
    void theTrimmedMeanDropsTheExtremesOfTheDevicesThatKeptAnEntry() {
        // A is 1 × 2; the three devices keep column 0, only the first two keep column 1.
        LoraState global = state(new float[] {0, 9}, 0);
        List<DeviceUpdate> updates = List.of(
                update(new float[] {1, 10}, 5, true), update(new float[] {100, 20}, 6, true), update(new float[] {4, 30}, 7, false));
        LoraState result = TrimmedMeanAggregation.aggregate(global, updates, 1);
        assertEquals(4f, result.a().get(0).get(0, 0)); // median of 1, 100, 4
        assertEquals(15f, result.a().get(0).get(0, 1)); // too few keepers: mean of 10 and 20
        assertEquals(6f, result.headWeights().get(0, 0)); // median of 5, 6, 7
    }

    @Test
    void theTwoSlopeModelIsContinuousAtItsBreakpoint() {
        TwoSlopePathLoss.Settings s = new TwoSlopePathLoss.Settings(40, 1, 100, 2, 4);
        assertEquals(40 + 20 * 2, TwoSlopePathLoss.lossDb(s, 100), 1e-12);
        assertEquals(40 + 20 * 2 + 40 * Math.log10(2), TwoSlopePathLoss.lossDb(s, 200), 1e-12);
    }

    private static LoraState state(float[] a, float head) {
        return new LoraState(List.of(new Matrix(1, 2, a)), List.of(new Matrix(1, 1, new float[] {0})),
                new Matrix(1, 1, new float[] {head}), new Matrix(1, 1, new float[] {0}));
    }

    private static DeviceUpdate update(float[] a, float head, boolean keepsColumn1) {
        return new DeviceUpdate(0, state(a, head), List.of(new LayerMask(new boolean[] {true}, new boolean[] {true, keepsColumn1})),
                1, 0.5);
    }
}
