package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of {@code aggregation.csv} (learning runs): how far the round's aggregation moved one adapted
 * weight from where the mean of the devices' trained models would put it (docs/model.md eq. 4,
 * "Aggregation error").
 *
 * @param round          round index, from 0
 * @param layer          the adapted layer, as named in model.safetensors (e.g. {@code block3.value})
 * @param devices        updates aggregated
 * @param targetChange   ‖T‖: the change of W0 + s B A that the data-weighted mean of the devices' models makes
 * @param appliedChange  ‖R‖: the change the aggregation rule made
 * @param error          ‖R − T‖
 * @param relativeError  ‖R − T‖ / ‖T‖ (0 for {@code exact} up to rounding)
 * @param amplification  ‖R‖ / ‖T‖
 */
@JsonPropertyOrder({"round", "layer", "devices", "target_change", "applied_change", "error", "relative_error",
        "amplification"})
public record AggregationRecord(int round, String layer, int devices, double targetChange, double appliedChange,
                                double error, double relativeError, double amplification) implements RunRecord {
}
