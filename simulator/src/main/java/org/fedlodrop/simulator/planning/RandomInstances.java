package org.fedlodrop.simulator.planning;

import org.fedlodrop.simulator.bound.GeneralisationBound;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.models.profile.ModelProfile;
import org.fedlodrop.simulator.cost.ComputeLoad;
import org.fedlodrop.simulator.wireless.Decibels;
import org.fedlodrop.simulator.wireless.Fading;
import org.fedlodrop.simulator.wireless.PathLoss;

/**
 * Random instances of P in the regime the paper studies, for the solver tests and {@code bench
 * planner}: roberta-base costs (rank 4, 32-bit, 3 local epochs, 16 FLOPs per cycle), devices 20 to
 * 200 m from the base station under UMa path loss, 8 dB shadowing and Rayleigh fading, budgets just
 * above what γ = 0 at full speed needs, and a band between what γ_max needs and what every device's
 * own best γ would need, so that the band binds and γ = 0 is infeasible for some devices.
 */
public final class RandomInstances {
    public static final GeneralisationBound BOUND = new GeneralisationBound(0.1, 0.02, 0.05, 1, 1, 1, 4, 0.1);
    private static final ModelProfile PROFILE = ModelCatalogue.find("roberta-base").orElseThrow();
    private static final ComputeLoad LOAD = ComputeLoad.of(PROFILE, 4, 16);
    private static final PathLoss UMA = new PathLoss.Uma3gpp();
    private static final Fading RAYLEIGH = new Fading.Rayleigh();

    private RandomInstances() {
    }

    /**
     * A heterogeneous fleet's instance: each device of one of three classes (an IoT board, a phone, a
     * laptop: f_max 0.5, 1.5 or 3 GHz, P_max 17, 20 or 23 dBm, κ 3e-28, 1e-28 or 0.5e-28), holding 5 to
     * 50 samples (10×), with its own energy budget; the latency budget lets the slowest device's γ = 0
     * computation fit, and the band binds as in {@link #draw}.
     */
    public static PlanningProblem heterogeneous(int devices, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double noise = Decibels.dbmToWatts(-174);
        double pBs = Decibels.dbmToWatts(46);
        double[] fMax = {0.5e9, 1.5e9, 3e9};
        double[] pMaxDbm = {17, 20, 23};
        double[] kappa = {3e-28, 1e-28, 0.5e-28};
        int[] kind = new int[devices];
        long[] samples = new long[devices];
        long total = 0;
        double slowest = 0;
        for (int k = 0; k < devices; k++) {
            kind[k] = random.nextInt(3);
            samples[k] = 5 + random.nextInt(46);
            total += samples[k];
            slowest = Math.max(slowest, 3 * samples[k] * LOAD.frozenCyclesPerSample() / fMax[kind[k]]);
        }
        double latency = slowest + 1 + 3 * random.nextDouble();
        List<DeviceProblem> list = new ArrayList<>();
        for (int k = 0; k < devices; k++) {
            double gain = gain(random);
            long d = samples[k];
            int c = kind[k];
            // What computation takes at the speed the latency budget forces, with 10 to 60 % to spare.
            double cycles = 3 * d * LOAD.frozenCyclesPerSample();
            double f = Math.max(cycles / (latency - 1), 1e8);
            double energy = kappa[c] * cycles * f * f * (1.1 + 0.5 * random.nextDouble()) + 0.1 + 0.5 * random.nextDouble();
            list.add(new DeviceProblem(k, gain, gamma -> PROFILE.expectedUploadBits(4, gamma, 32),
                    gamma -> PROFILE.expectedDownloadBits(4, gamma, 32, false),
                    gamma -> LOAD.cycles(3, d, gamma), d, d / (double) total, noise, pBs, Decibels.dbmToWatts(pMaxDbm[c]),
                    1e8, fMax[c], kappa[c], latency, energy));
        }
        return bindingBand(list, devices, random);
    }

    /**
     * A fleet of {@code devices} as {@link #draw} deals it, except that a device whose channel is so poor
     * that it cannot meet its budgets even at γ_max with 20 MHz to itself gets its channel and energy
     * budget drawn again until it can: the devices that the planner would serve out of a large cell (at
     * K = 1,000 almost every draw of {@link #draw} has a few that no rate can serve, and the planner
     * leaves them out before solving). Used by {@code bench planner} above K = 100.
     */
    public static PlanningProblem drawServable(int devices, long seed) {
        return draw(devices, seed, true, 0);
    }

    /**
     * Round {@code round} of the {@link #drawServable} fleet: the same devices, energy budgets and band,
     * each device's Rayleigh fading drawn anew for the round (its path loss and shadowing kept), as a
     * cell's next rounds bring. Round 0 is {@link #drawServable}'s; a device may be unservable in a
     * later round, as in a run.
     */
    public static PlanningProblem drawServable(int devices, long seed, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round " + round);
        }
        return draw(devices, seed, true, round);
    }

    public static PlanningProblem draw(int devices, long seed) {
        return draw(devices, seed, false, 0);
    }

    private static PlanningProblem draw(int devices, long seed, boolean servable, int round) {
        SplittableRandom random = new SplittableRandom(seed);
        double noise = Decibels.dbmToWatts(-174);
        double pMax = Decibels.dbmToWatts(23);
        double pBs = Decibels.dbmToWatts(46);
        double fMax = 2e9;
        double kappa = 1e-28;
        long[] samples = new long[devices];
        long total = 0;
        for (int k = 0; k < devices; k++) {
            samples[k] = 15 + random.nextInt(11);
            total += samples[k];
        }
        long most = java.util.Arrays.stream(samples).max().orElse(1);
        // Time for the busiest device's computation at f_max, plus 1 to 4 s for the transfers.
        double latency = 3 * most * LOAD.frozenCyclesPerSample() / fMax + 1 + 3 * random.nextDouble();
        List<DeviceProblem> list = new ArrayList<>();
        double[] meanGains = new double[devices];
        for (int k = 0; k < devices; k++) {
            long d = samples[k];
            DeviceProblem device;
            int tries = 0;
            do {
                if (++tries > 10_000) {
                    throw new IllegalStateException("no servable draw for device " + k + " of seed " + seed);
                }
                // A servable fleet keeps each device's fading apart (its own stream per round), so that later
                // rounds can draw it anew over the same path loss and shadowing.
                meanGains[k] = servable ? meanGain(random) : Double.NaN;
                double gain = servable ? meanGains[k] * fading(seed, k, 0, tries) : gain(random);
                // Computation at f_max, give or take 3 %, plus 0.1 to 0.6 J for the upload.
                double energy = kappa * 3 * d * LOAD.frozenCyclesPerSample() * fMax * fMax
                        * (0.97 + 0.06 * random.nextDouble()) + 0.1 + 0.5 * random.nextDouble();
                device = new DeviceProblem(k, gain, gamma -> PROFILE.expectedUploadBits(4, gamma, 32),
                    gamma -> PROFILE.expectedDownloadBits(4, gamma, 32, false),
                        gamma -> LOAD.cycles(3, d, gamma), d, d / (double) total, noise, pBs, pMax, 1e8, fMax, kappa,
                        latency, energy);
            } while (servable && !device.feasible(0.9, 20e6));
            list.add(device);
        }
        PlanningProblem first = bindingBand(list, devices, random);
        if (round == 0) {
            return first;
        }
        List<DeviceProblem> later = new ArrayList<>(devices);
        for (DeviceProblem d : first.devices()) {
            later.add(new DeviceProblem(d.device(), meanGains[d.device()] * fading(seed, d.device(), round, 1),
                    d.payloadBits(), d.downloadBits(), d.cycles(), d.samples(), d.weight(), d.noisePsdWPerHz(),
                    d.baseStationPowerW(), d.maxPowerW(), d.minFrequencyHz(), d.maxFrequencyHz(), d.kappa(),
                    d.latencyBudgetS(), d.energyBudgetJ()));
        }
        return new PlanningProblem(later, first.bandwidthHz(), first.maxGamma(), first.bound());
    }

    /**
     * The instance {@code base} (of {@link #draw} or {@link #heterogeneous}: roberta-base, rank 4) with each device
     * free to send its upload at any of {@code widths} bits (increasing; eq. 5: the LoRA entries at q bits, the head
     * at 32), under {@link #BOUND} with the quantisation weight {@code cQuant} (eq. 7a) and γ_max {@code maxGamma}:
     * the band, channels and budgets of {@code base}.
     */
    public static PlanningProblem withWidths(PlanningProblem base, int[] widths, double cQuant, double maxGamma) {
        return withWidths(base, widths, cQuant, maxGamma, base.bandwidthHz());
    }

    /** As above with the band {@code bandwidthHz}. */
    public static PlanningProblem withWidths(PlanningProblem base, int[] widths, double cQuant, double maxGamma,
                                             double bandwidthHz) {
        List<DeviceProblem[]> byWidth = new ArrayList<>();
        for (DeviceProblem d : base.devices()) {
            DeviceProblem[] sides = new DeviceProblem[widths.length];
            for (int v = 0; v < widths.length; v++) {
                int q = widths[v];
                sides[v] = new DeviceProblem(d.device(), d.gain(), gamma -> PROFILE.expectedUploadBits(4, gamma, q),
                        d.downloadBits(), d.cycles(), d.samples(), d.weight(), d.noisePsdWPerHz(), d.baseStationPowerW(),
                        d.maxPowerW(), d.minFrequencyHz(), d.maxFrequencyHz(), d.kappa(), d.latencyBudgetS(),
                        d.energyBudgetJ());
            }
            byWidth.add(sides);
        }
        return PlanningProblem.withWidths(byWidth, widths, bandwidthHz, maxGamma, BOUND.withQuantisation(cQuant));
    }

    /** A device 20 to 200 m away under UMa path loss (NLOS) and 8 dB shadowing, without fading. */
    private static double meanGain(SplittableRandom random) {
        double distance = 20 + 180 * random.nextDouble();
        return Decibels.toLinear(8 * random.nextGaussian() - UMA.lossDb(distance, false));
    }

    /** Rayleigh fading of device k in a round, on its own stream (try t of round 0's draws). */
    private static double fading(long seed, int device, int round, int tries) {
        long key = seed;
        for (long part : new long[] {device, round, tries}) {
            key = key * 0x9E3779B97F4A7C15L + part;
        }
        return RAYLEIGH.powerGain(new SplittableRandom(key));
    }

    /** A device 20 to 200 m away under UMa path loss (NLOS), 8 dB shadowing and Rayleigh fading. */
    private static double gain(SplittableRandom random) {
        double distance = 20 + 180 * random.nextDouble();
        return Decibels.toLinear(8 * random.nextGaussian() - UMA.lossDb(distance, false)) * RAYLEIGH.powerGain(random);
    }

    private static PlanningProblem bindingBand(List<DeviceProblem> list, int devices, SplittableRandom random) {
        PlanningProblem generous = new PlanningProblem(list, devices * 1e6, 0.9, BOUND);
        // Tighten the band so that it binds: between what γ_max needs and what each device's own
        // best γ (ignoring the others) would need.
        double atMax = 0;
        double atBest = 0;
        for (int k = 0; k < devices; k++) {
            atMax += generous.minimumBandwidth(k, 0.9);
            double best = 0;
            for (int i = 1; i <= 900; i++) {
                if (generous.deviceObjective(k, i / 1000.0) < generous.deviceObjective(k, best)) {
                    best = i / 1000.0;
                }
            }
            atBest += generous.minimumBandwidth(k, best);
        }
        double band = Double.isFinite(atMax) && Double.isFinite(atBest) && atBest > atMax
                ? atMax + (0.2 + 0.6 * random.nextDouble()) * (atBest - atMax)
                : devices * 1e6;
        return new PlanningProblem(list, band, 0.9, BOUND);
    }
}
