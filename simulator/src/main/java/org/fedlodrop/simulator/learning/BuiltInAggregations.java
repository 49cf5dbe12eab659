package org.fedlodrop.simulator.learning;

import org.fedlodrop.models.lora.AggregationMode;
import org.fedlodrop.simulator.extension.BuiltIn;

/**
 * fedlodrop's aggregation rules (docs/model.md eq. 4), registered in
 * {@code META-INF/services/org.fedlodrop.api.aggregation.AggregationExtension} as a plugin's are.
 */
public final class BuiltInAggregations {
    /** The type of the default rule, whose W0 change devices download (docs/model.md eq. 4). */
    public static final String EXACT = "exact";
    /** The type of the per-entry mean over the devices that kept each entry. */
    public static final String MASKED_MEAN = "masked-mean";
    /** The type of FedAvg of the zero-filled sub-adapters. */
    public static final String ZERO_FILL_MEAN = "zero-fill-mean";

    private BuiltInAggregations() {
    }

    /** Whether {@code type} names one of these rules (each a weighted mean, so that cells' means of one round compose). */
    public static boolean builtIn(String type) {
        return type.equals(EXACT) || type.equals(MASKED_MEAN) || type.equals(ZERO_FILL_MEAN);
    }

    public static final class Exact extends BuiltIn.Named implements BuiltInAggregation {
        public Exact() {
            super(EXACT,
                    "FedEx-LoRA: mean A and mean B, and the residual of the mean products folded into W0 (the default)");
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.EXACT;
        }
    }

    public static final class MaskedMean extends BuiltIn.Named implements BuiltInAggregation {
        public MaskedMean() {
            super(MASKED_MEAN,
                    "each entry the data-weighted mean over the devices that kept it");
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.MASKED_MEAN;
        }
    }

    public static final class ZeroFillMean extends BuiltIn.Named implements BuiltInAggregation {
        public ZeroFillMean() {
            super(ZERO_FILL_MEAN,
                    "FedAvg of the zero-filled sub-adapters (the authors' code's normal)");
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.ZERO_FILL_MEAN;
        }
    }
}
