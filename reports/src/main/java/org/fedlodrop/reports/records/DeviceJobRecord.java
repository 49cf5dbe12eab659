package org.fedlodrop.reports.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One row of {@code devices.csv} in a buffered run (docs/buffered.md): a device's job, from its start to its end,
 * with every column of {@link DeviceRoundRecord} (its {@code round} is the server step the job started from, the
 * version of the model it trained) and three more at the end, which a reader of {@link DeviceRoundRecord} skips.
 *
 * @param row        the job as a round's row would show it
 * @param serverStep the server step the job ended before: the one that applied its update, if it sent one
 * @param staleness  steps between the model it trained and the one its update was applied to (−1: no update)
 * @param startS     virtual time at which the job started
 */
@JsonPropertyOrder({"row", "server_step", "staleness", "start_s"})
public record DeviceJobRecord(@JsonUnwrapped DeviceRoundRecord row, int serverStep, int staleness, double startS)
        implements RunRecord {
}
