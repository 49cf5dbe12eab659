package org.fedlodrop.simulator.learning;

import org.fedlodrop.models.lora.AggregationMode;

/**
 * fedlodrop's aggregation rules (docs/model.md eq. 4), registered in
 * {@code META-INF/services/org.fedlodrop.api.aggregation.AggregationExtension} as a plugin's are.
 */
public final class BuiltInAggregations {
    /** The type of the default rule, whose W0 change devices download (docs/model.md eq. 4). */
    public static final String EXACT = "exact";

    private BuiltInAggregations() {
    }

    public static final class Exact implements BuiltInAggregation {
        @Override
        public String type() {
            return EXACT;
        }

        @Override
        public String summary() {
            return "FedEx-LoRA: mean A and mean B, and the residual of the mean products folded into W0 (the default)";
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.EXACT;
        }
    }

    public static final class MaskedMean implements BuiltInAggregation {
        @Override
        public String type() {
            return "masked-mean";
        }

        @Override
        public String summary() {
            return "each entry the data-weighted mean over the devices that kept it";
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.MASKED_MEAN;
        }
    }

    public static final class ZeroFillMean implements BuiltInAggregation {
        @Override
        public String type() {
            return "zero-fill-mean";
        }

        @Override
        public String summary() {
            return "FedAvg of the zero-filled sub-adapters (the authors' code's normal)";
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.ZERO_FILL_MEAN;
        }
    }
}
