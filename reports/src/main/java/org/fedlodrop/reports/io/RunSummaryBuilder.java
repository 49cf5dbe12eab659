package org.fedlodrop.reports.io;

import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.records.RunRecord;
import org.fedlodrop.reports.records.RunSummary;

/** Accumulates {@code summary.json} from the records as they pass. */
public final class RunSummaryBuilder {
    private final String scenario;
    private final long seed;
    private final int devices;
    private int rounds;
    private double endS;
    private double latencySumS;
    private double energyJ;
    private long deviceRounds;
    private long aggregated;
    private long missed;
    private long refused;
    private long unserved;

    public RunSummaryBuilder(String scenario, long seed, int devices) {
        this.scenario = scenario;
        this.seed = seed;
        this.devices = devices;
    }

    public void accept(RunRecord record) {
        if (record instanceof RoundRecord round) {
            rounds++;
            endS = Math.max(endS, round.endS());
            latencySumS += round.latencyS();
            energyJ += round.energyJ();
        } else if (record instanceof DeviceRoundRecord device) {
            deviceRounds++;
            switch (device.outcome()) {
                case AGGREGATED -> aggregated++;
                case MISSED_DEADLINE -> missed++;
                case REFUSED_ENERGY -> refused++;
                case UNSERVED -> unserved++;
            }
        }
    }

    public RunSummary build() {
        return new RunSummary(scenario, seed, rounds, devices, endS, rounds == 0 ? 0 : latencySumS / rounds,
                energyJ, deviceRounds, aggregated, missed, refused, unserved,
                deviceRounds == 0 ? 0 : aggregated / (double) deviceRounds);
    }
}
