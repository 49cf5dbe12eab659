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

    private BuiltInAggregations() {
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
            super("masked-mean",
                    "each entry the data-weighted mean over the devices that kept it");
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.MASKED_MEAN;
        }
    }

    public static final class ZeroFillMean extends BuiltIn.Named implements BuiltInAggregation {
        public ZeroFillMean() {
            super("zero-fill-mean",
                    "FedAvg of the zero-filled sub-adapters (the authors' code's normal)");
        }

        @Override
        public AggregationMode mode() {
            return AggregationMode.ZERO_FILL_MEAN;
        }
    }
}
