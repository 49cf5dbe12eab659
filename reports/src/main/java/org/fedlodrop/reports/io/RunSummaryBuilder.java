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
    private long offline;
    private double gammaSum;
    private long served;
    private double finalTestLoss = Double.NaN;
    private double finalTestAccuracy = Double.NaN;
    private double bestTestLoss = Double.NaN;
    private int bestTestLossRound = -1;
    private double bestTestAccuracy = Double.NaN;
    private int bestTestAccuracyRound = -1;

    public RunSummaryBuilder(String scenario, long seed, int devices) {
        this.scenario = scenario;
        this.seed = seed;
        this.devices = devices;
    }

    /** What the builder has accumulated, for a checkpoint: a resumed run's summary goes on from it. */
    public record State(String scenario, long seed, int devices, int rounds, double endS, double latencySumS,
                        double energyJ, long deviceRounds, long aggregated, long missed, long refused, long unserved,
                        long offline, double gammaSum, long served, double finalTestLoss, double finalTestAccuracy,
                        double bestTestLoss, int bestTestLossRound, double bestTestAccuracy, int bestTestAccuracyRound) {
    }

    public RunSummaryBuilder(State state) {
        this(state.scenario(), state.seed(), state.devices());
        rounds = state.rounds();
        endS = state.endS();
        latencySumS = state.latencySumS();
        energyJ = state.energyJ();
        deviceRounds = state.deviceRounds();
        aggregated = state.aggregated();
        missed = state.missed();
        refused = state.refused();
        unserved = state.unserved();
        offline = state.offline();
        gammaSum = state.gammaSum();
        served = state.served();
        finalTestLoss = state.finalTestLoss();
        finalTestAccuracy = state.finalTestAccuracy();
        bestTestLoss = state.bestTestLoss();
        bestTestLossRound = state.bestTestLossRound();
        bestTestAccuracy = state.bestTestAccuracy();
        bestTestAccuracyRound = state.bestTestAccuracyRound();
    }

    public State state() {
        return new State(scenario, seed, devices, rounds, endS, latencySumS, energyJ, deviceRounds, aggregated, missed,
                refused, unserved, offline, gammaSum, served, finalTestLoss, finalTestAccuracy, bestTestLoss,
                bestTestLossRound, bestTestAccuracy, bestTestAccuracyRound);
    }

    public void accept(RunRecord record) {
        if (record instanceof org.fedlodrop.reports.records.DeviceJobRecord job) {
            accept(job.row()); // a buffered run's job counts as a device-round
            return;
        }
        if (record instanceof RoundRecord round) {
            rounds++;
            endS = Math.max(endS, round.endS());
            latencySumS += round.latencyS();
            energyJ += round.energyJ();
            finalTestLoss = round.testLoss();
            finalTestAccuracy = round.testAccuracy();
            // The first round that reaches the best value, so that ties keep the earlier round.
            if (!Double.isNaN(round.testLoss()) && (Double.isNaN(bestTestLoss) || round.testLoss() < bestTestLoss)) {
                bestTestLoss = round.testLoss();
                bestTestLossRound = round.round();
            }
            if (!Double.isNaN(round.testAccuracy())
                    && (Double.isNaN(bestTestAccuracy) || round.testAccuracy() > bestTestAccuracy)) {
                bestTestAccuracy = round.testAccuracy();
                bestTestAccuracyRound = round.round();
            }
        } else if (record instanceof DeviceRoundRecord device) {
            deviceRounds++;
            switch (device.outcome()) {
                case AGGREGATED -> aggregated++;
                case MISSED_DEADLINE -> missed++;
                case REFUSED_ENERGY -> refused++;
                case UNSERVED -> unserved++;
                case OFFLINE -> offline++;
            }
            if (device.outcome() != org.fedlodrop.reports.records.DeviceOutcome.UNSERVED
                    && device.outcome() != org.fedlodrop.reports.records.DeviceOutcome.OFFLINE) {
                gammaSum += device.gamma();
                served++;
            }
        }
    }

    public RunSummary build() {
        return new RunSummary(scenario, seed, rounds, devices, endS, rounds == 0 ? 0 : latencySumS / rounds,
                energyJ, deviceRounds, aggregated, missed, refused, unserved, offline,
                deviceRounds == 0 ? 0 : aggregated / (double) deviceRounds,
                deviceRounds == 0 ? 1 : (deviceRounds - offline) / (double) deviceRounds, served == 0 ? Double.NaN : gammaSum / served,
                finalTestLoss, finalTestAccuracy, bestTestLoss, bestTestLossRound, bestTestAccuracy, bestTestAccuracyRound);
    }
}
