package org.fedlodrop.simulator.scenario;

import org.fedlodrop.simulator.wireless.CsiModel;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.fedlodrop.simulator.bound.GeneralisationBound;
import org.fedlodrop.simulator.wireless.BuiltInFadings;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.models.train.LearningRateSchedule;
import org.fedlodrop.models.train.TrainingEngine;
import org.fedlodrop.models.profile.ModelCatalogue;

/**
 * A resolved scenario: every field present, every default filled (docs/architecture.md, "Scenario
 * files"). Field names in files are the snake_case of these components; units are SI except where a
 * name says dB or dBm, converted once in {@link RadioSettings}.
 */
public record Scenario(String name, long seed, int rounds, Topology topology, Network network, Channel channel,
                       Mobility mobility, Csi csi, Devices devices, Model model, Data data, Training training,
                       Dropout dropout, Planner planner, Budgets budgets, Output output,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Federation federation) {

    /** Cells and where devices stand (docs/wireless.md). */
    public record Topology(List<Cell> cells, Placement placement, Association association, double cellRadiusM,
                           double minDistanceM, int clusters, double clusterRadiusM, List<Position> positions,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Backhaul backhaul) {
        /** Whether the cells aggregate on their own and merge in the cloud over {@code backhaul} (docs/hierarchy.md). */
        public boolean hierarchical() {
            return backhaul != null;
        }
    }

    /**
     * The wired network behind the cells (docs/hierarchy.md): each cell aggregates its own devices every
     * round, and every {@code cloud_every} rounds the cells' models travel over these links to the node
     * {@code cloud}, are merged there, and travel back. Nodes are {@code cloud}, {@code cell-0} … and any
     * other name (a router).
     */
    public record Backhaul(int cloudEvery, List<BackhaulLink> links) {
        public static final String CLOUD = "cloud";

        public Backhaul {
            links = links == null ? List.of() : List.copyOf(links);
        }

        public static Backhaul defaults() {
            return new Backhaul(1, List.of());
        }

        /** The node of cell {@code c}. */
        public static String cellNode(int c) {
            return "cell-" + c;
        }

        /** Whether round {@code round} (from 0) ends with a cloud merge. */
        public boolean merges(int round) {
            return (round + 1) % cloudEvery == 0;
        }

        /** The links as a graph with each cell's route to the cloud; the checks have made sure that one exists. */
        public org.fedlodrop.simulator.backhaul.BackhaulNetwork network(int cells) {
            return new org.fedlodrop.simulator.backhaul.BackhaulNetwork(
                    links.stream().map(l -> new org.fedlodrop.simulator.backhaul.BackhaulNetwork.Link(l.from(), l.to(),
                            l.latencyS(), l.capacityBps())).toList(),
                    java.util.stream.IntStream.range(0, cells).mapToObj(Backhaul::cellNode).toList(), CLOUD);
        }
    }

    /** A wired link, both ways, of latency {@code latency_s} and {@code capacity_bps} shared by the transfers on it. */
    public record BackhaulLink(String from, String to, double latencyS, double capacityBps) {
        public static BackhaulLink defaults() {
            return new BackhaulLink("", "", 0, 10e9);
        }
    }

    /** A base station; every cell has its own band of {@code network.bandwidth_hz}. */
    public record Cell(double xM, double yM) {
        public static Cell defaults() {
            return new Cell(0, 0);
        }
    }

    /** A device's place for {@code placement: explicit}. */
    public record Position(double xM, double yM) {
        public static Position defaults() {
            return new Position(0, 0);
        }
    }

    /** How devices move between rounds (docs/wireless.md). */
    public record Mobility(MobilityModel model, double speedMps, double pauseS) {
    }

    /** The channel state the planner sees (docs/wireless.md). */
    public record Csi(CsiModel model, double errorVariance) {
    }

    /** The cell's radio resources and the server (docs/model.md §3 and §4). */
    public record Network(double bandwidthHz, double noisePsdDbmHz, double bsPowerDbm, double aggregationTimeS) {
    }

    /** Path loss, shadowing and fading (docs/model.md §3, eq. 9). */
    public record Channel(String pathLoss, double carrierHz, double bsHeightM, double ueHeightM,
                          double pl0Db, double referenceDistanceM, double exponent, double shadowingDb,
                          ShadowingRedraw shadowingRedraw, double shadowingCorrelationM, String fading,
                          double ricianK, double nakagamiM, double coherenceS, String traceFile,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) JsonNode pathLossSettings,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) JsonNode fadingSettings) {
        public Channel {
            pathLossSettings = ExtensionSpec.frozen(pathLossSettings);
            fadingSettings = ExtensionSpec.frozen(fadingSettings);
        }

        public Channel withPathLossSettings(JsonNode settings) {
            return new Channel(pathLoss, carrierHz, bsHeightM, ueHeightM, pl0Db, referenceDistanceM, exponent, shadowingDb,
                    shadowingRedraw, shadowingCorrelationM, fading, ricianK, nakagamiM, coherenceS, traceFile, settings,
                    fadingSettings);
        }

        public Channel withFadingSettings(JsonNode settings) {
            return new Channel(pathLoss, carrierHz, bsHeightM, ueHeightM, pl0Db, referenceDistanceM, exponent, shadowingDb,
                    shadowingRedraw, shadowingCorrelationM, fading, ricianK, nakagamiM, coherenceS, traceFile,
                    pathLossSettings, settings);
        }

        public Channel withTraceFile(String file) {
            return new Channel(pathLoss, carrierHz, bsHeightM, ueHeightM, pl0Db, referenceDistanceM, exponent, shadowingDb,
                    shadowingRedraw, shadowingCorrelationM, fading, ricianK, nakagamiM, coherenceS, file, pathLossSettings,
                    fadingSettings);
        }

        /** Whether the gains come whole from {@code trace_file}. */
        public boolean traced() {
            return BuiltInFadings.TRACE.equals(fading);
        }
    }

    /** The devices' radio and processor (docs/model.md §4, eqs. 12 and 13). */
    public record Devices(int count, double maxPowerDbm, double cpuMinHz, double cpuMaxHz, double kappa,
                          double flopsPerCycle, double meanOnlineRounds, double meanOfflineRounds,
                          List<DeviceClass> classes, String traceFile) {
        public Devices withTraceFile(String file) {
            return new Devices(count, maxPowerDbm, cpuMinHz, cpuMaxHz, kappa, flopsPerCycle, meanOnlineRounds,
                    meanOfflineRounds, classes, file);
        }

        /**
         * Devices per class, in class order: the counts as given, or shares of {@code count} rounded by
         * largest remainder (ties to the earlier class), so that they sum to {@code count}. Empty without classes.
         */
        public int[] classCounts() {
            int[] counts = new int[classes.size()];
            if (classes.isEmpty()) {
                return counts;
            }
            if (classes.get(0).count() > 0) {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = classes.get(i).count();
                }
                return counts;
            }
            double total = classes.stream().mapToDouble(DeviceClass::share).sum();
            double[] remainders = new double[counts.length];
            int assigned = 0;
            for (int i = 0; i < counts.length; i++) {
                double exact = count * classes.get(i).share() / total;
                counts[i] = (int) Math.floor(exact);
                remainders[i] = exact - counts[i];
                assigned += counts[i];
            }
            for (int left = count - assigned; left > 0; left--) {
                int best = 0;
                for (int i = 1; i < counts.length; i++) {
                    if (remainders[i] > remainders[best]) {
                        best = i;
                    }
                }
                counts[best]++;
                remainders[best] = -1;
            }
            return counts;
        }
    }

    /**
     * A class of devices in a heterogeneous fleet: its share of {@code devices.count} (or a count), and
     * the per-device parameters that differ from the rest of the fleet. A field not given is inherited
     * when the scenario is loaded, from {@code devices} ({@code cpu_*}, {@code flops_per_cycle},
     * {@code kappa}, {@code max_power_dbm}, {@code mean_*_rounds}), {@code budgets.energy_j},
     * {@code data.samples_per_device} and {@code training.local_epochs}; the resolved scenario shows them all.
     */
    public record DeviceClass(String name, double share, int count, double cpuMinHz, double cpuMaxHz,
                              double flopsPerCycle, double kappa, double maxPowerDbm, double energyBudgetJ,
                              int samples, int localEpochs, double meanOnlineRounds, double meanOfflineRounds) {
        /** Used only where inheritance left a field unset, which the loader never does. */
        public static DeviceClass defaults() {
            Scenario d = Scenario.defaults();
            return new DeviceClass("", 0, 0, d.devices().cpuMinHz(), d.devices().cpuMaxHz(), d.devices().flopsPerCycle(),
                    d.devices().kappa(), d.devices().maxPowerDbm(), d.budgets().energyJ(), d.data().samplesPerDevice(),
                    d.training().localEpochs(), 0, 0);
        }
    }

    /**
     * The nominal model whose sizes set payload and computation ({@code profile}; docs/model.md §1, eqs. 1 and 5),
     * LoRA's rank and α, and the model that learns when there is a workload: its family ({@code mlp},
     * {@code transformer}, {@code bert} or a plugin's; docs/models.md) and that family's own fields, which a
     * scenario writes beside the common ones and {@code settings} holds (bound and checked by the family:
     * {@link ExtensionSpec}).
     */
    public record Model(String family, String profile, int rank, double alpha, int bitsPerParameter, boolean rsLora,
                        boolean roundDownload, JsonNode settings,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> bitWidths) {
        public Model {
            settings = ExtensionSpec.frozen(settings);
            bitWidths = bitWidths == null ? List.of() : List.copyOf(bitWidths);
        }

        /**
         * Whether the planner chooses each device's bits from {@code bit_widths} (issue 31): the optimising planners
         * do, jointly with γ; the baselines send at {@code bits_per_parameter}.
         */
        public boolean plansBits() {
            return !bitWidths.isEmpty();
        }

        @Override
        public JsonNode settings() {
            return settings.deepCopy();
        }

        /** The same model with the family's settings as resolved. */
        public Model withSettings(JsonNode settings) {
            return new Model(family, profile, rank, alpha, bitsPerParameter, rsLora, roundDownload, settings, bitWidths);
        }

        /** LoRA as every family takes it. */
        public org.fedlodrop.models.family.ModelFamily.Lora lora() {
            return new org.fedlodrop.models.family.ModelFamily.Lora(rank, alpha, rsLora);
        }
    }

    /**
     * The learning workload, the local data of each device and the held-out test set; for
     * text-classification the files (relative to the scenario) and the columns of text and label.
     */
    public record Data(Workload workload, int samplesPerDevice, int testSamples, PartitionScheme partition,
                       double dirichletAlpha, double labelNoise, String trainFile, String testFile,
                       String textColumn, String labelColumn, boolean header, DataSource source, String groupColumn,
                       int groupsPerDevice, int classesPerDevice) {
        /** The same data with its files as resolved (absolute paths). */
        public Data withFiles(String trainFile, String testFile) {
            return new Data(workload, samplesPerDevice, testSamples, partition, dirichletAlpha, labelNoise, trainFile,
                    testFile, textColumn, labelColumn, header, source, groupColumn, groupsPerDevice, classesPerDevice);
        }
    }

    /**
     * Local training (docs/model.md §2): E local epochs of minibatch SGD or AdamW over the device's samples;
     * {@code engine} runs the arithmetic ({@code auto}: the java engine, for every family); on the java engine a round's devices train in cohorts of at most {@code cohort},
     * their frozen products stacked (docs/models.md, Training engines). {@code arm} trains the reference
     * points instead of the federated rounds ({@link ReferenceArm}).
     */
    public record Training(int localEpochs, int batchSize, double learningRate, LocalTrainer.Optimizer optimizer,
                           double weightDecay, boolean trainLora, TrainingEngine engine, int cohort,
                           LearningRateSchedule.Kind schedule, double warmupShare, double maxGradNorm,
                           double headLearningRate, boolean lengthBuckets, int evaluateEvery, ReferenceArm arm) {
        /** The head's learning rate: its own, or {@code learning_rate} where it is 0. */
        public double effectiveHeadLearningRate() {
            return headLearningRate > 0 ? headLearningRate : learningRate;
        }

        /**
         * Whether the global model is evaluated after {@code round} (0-based) of {@code rounds}: every
         * {@code evaluate_every}-th round from the first, and always the last, so that a run's first and final
         * metrics are there whatever the setting. An evaluation passes every device's training data and the test
         * set through the model: on scenarios/spam.yaml about a quarter of a round's training (docs/models.md).
         */
        public boolean evaluates(int round, int rounds) {
            return round % evaluateEvery == 0 || round >= rounds - 1;
        }
    }

    /** Row and column dropout of the LoRA matrices and how sub-adapters are aggregated (docs/model.md §1, eqs. 2, 4). */
    public record Dropout(double rate, double maxRate, MaskMode mask, String aggregation, boolean rescale,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) JsonNode aggregationSettings) {
        public Dropout {
            aggregationSettings = ExtensionSpec.frozen(aggregationSettings);
        }

        public Dropout withAggregationSettings(JsonNode settings) {
            return new Dropout(rate, maxRate, mask, aggregation, rescale, settings);
        }
    }

    /**
     * Which planner chooses γ and the resources each round, and the bound it minimises, whose constants
     * (docs/model.md eqs. 6 to 8: c_var, c_reg, ε_0 of Φ_emp; M, L, Λ, λ, δ of Φ_gap) default to an interior
     * optimum near γ = 0.7 for 20 samples per device (docs/model.md §2,
     * §5); {@code outage} ε > 0 plans each device on the gain it exceeds with probability 1 − ε given
     * what the planner sees (docs/wireless.md, "Planning for outage"), 0 on the estimate as it is.
     */
    public record Planner(String solver, double relativeGap, GeneralisationBound bound, double outage,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) JsonNode settings) {
        public Planner {
            settings = ExtensionSpec.frozen(settings);
        }

        public Planner withSettings(JsonNode settings) {
            return new Planner(solver, relativeGap, bound, outage, settings);
        }

        public Planner withBound(GeneralisationBound bound) {
            return new Planner(solver, relativeGap, bound, outage, settings);
        }
    }


    /** Per-round latency budget T_max and per-device energy budget E^max (docs/model.md eq. 14). */
    public record Budgets(double latencyS, double energyJ) {
    }

    /**
     * Where run directories go when the command line names none, and how often a learning run writes a
     * checkpoint to resume from (every {@code checkpointEvery} rounds; 0: never). Cost-only runs write none:
     * resuming one recomputes it from the start, which is what a checkpoint would save (docs/checkpoints.md).
     */
    public record Output(String dir, int checkpointEvery) {
    }

    /**
     * How the server combines the devices' work (docs/buffered.md): {@code synchronous} rounds (the default, also
     * when the section is absent), or {@code buffered} asynchronous aggregation (FedBuff, Nguyen et al., AISTATS
     * 2022): devices train continuously, up to {@code concurrency} at once (0: every device), and the server steps
     * each time {@code buffer_size} updates have arrived, each weighted by its data and by the staleness function
     * s(τ) of how many steps old its base is (Xie, Koyejo and Gupta 2019): {@code constant} 1,
     * {@code polynomial} (1 + τ)^−a, {@code hinge} 1 for τ ≤ b and 1 / (a (τ − b) + 1) after; the step moves the
     * model by {@code server_learning_rate} times the weighted mean change.
     */
    public record Federation(FederationMode mode, int bufferSize, int concurrency, StalenessFunction staleness,
                             double stalenessA, double stalenessB, double serverLearningRate) {
        public static Federation defaults() {
            return new Federation(FederationMode.SYNCHRONOUS, 10, 0, StalenessFunction.POLYNOMIAL, 0.5, 4, 1);
        }

        public boolean buffered() {
            return mode == FederationMode.BUFFERED;
        }

        /** Jobs in flight at most: {@code concurrency}, or every device of a run of {@code devices}. */
        public int concurrency(int devices) {
            return concurrency == 0 ? devices : concurrency;
        }
    }

    /** Whether the run aggregates buffered and asynchronous (docs/buffered.md) rather than in synchronous rounds. */
    public boolean buffered() {
        return federation != null && federation.buffered();
    }

    public Scenario withChannel(Channel channel) {
        return new Scenario(name, seed, rounds, topology, network, channel, mobility, csi, devices, model, data, training,
                dropout, planner, budgets, output, federation);
    }

    public Scenario withDevices(Devices devices) {
        return new Scenario(name, seed, rounds, topology, network, channel, mobility, csi, devices, model, data, training,
                dropout, planner, budgets, output, federation);
    }

    public Scenario withModel(Model model) {
        return new Scenario(name, seed, rounds, topology, network, channel, mobility, csi, devices, model, data, training,
                dropout, planner, budgets, output, federation);
    }

    public Scenario withData(Data data) {
        return new Scenario(name, seed, rounds, topology, network, channel, mobility, csi, devices, model, data, training,
                dropout, planner, budgets, output, federation);
    }

    public Scenario withDropout(Dropout dropout) {
        return new Scenario(name, seed, rounds, topology, network, channel, mobility, csi, devices, model, data, training,
                dropout, planner, budgets, output, federation);
    }

    public Scenario withPlanner(Planner planner) {
        return new Scenario(name, seed, rounds, topology, network, channel, mobility, csi, devices, model, data, training,
                dropout, planner, budgets, output, federation);
    }

    /** Whether round {@code round} (from 0) ends with a cloud merge: every {@code cloud_every}-th, and the last (docs/hierarchy.md). */
    public boolean cloudMerges(int round) {
        return topology.hierarchical() && (topology.backhaul().merges(round) || round + 1 == rounds);
    }

    /**
     * How many rounds' updates the merge that ends round {@code round} folds: the rounds since the merge before it
     * (docs/hierarchy.md); 1 without a backhaul, where every round's aggregation stands alone.
     */
    public int roundsMergedAt(int round) {
        if (!topology.hierarchical()) {
            return 1;
        }
        int before = round - 1;
        while (before >= 0 && !cloudMerges(before)) {
            before--;
        }
        return round - before;
    }

    /**
     * What a cloud merge costs on the backhaul (docs/hierarchy.md): each cell's model, with the most W0 change
     * {@code exact} aggregation can have folded since the last merge, over its route, all cells at once.
     */
    public org.fedlodrop.simulator.backhaul.CloudTransfers cloudTransfers(org.fedlodrop.models.profile.ModelProfile profile) {
        if (!topology.hierarchical()) {
            throw new IllegalStateException("no backhaul in scenario " + name);
        }
        // Under exact aggregation (the rule that folds W0), at most every device of the run in each of cloud_every rounds.
        int folded = dropout.aggregation().equals("exact") ? devices.count() * topology.backhaul().cloudEvery() : 0;
        double bits = profile.backhaulBits(model.rank(), model.bitsPerParameter(), folded);
        return new org.fedlodrop.simulator.backhaul.CloudTransfers(bits,
                topology.backhaul().network(topology.cells().size()).transferS(bits));
    }

    /** Every default, as documented in {@code scenarios/quickstart.yaml} and docs/model.md. */
    public static Scenario defaults() {
        return new Scenario("quickstart", 1, 20,
                new Topology(List.of(Cell.defaults()), Placement.UNIFORM_DISC, Association.NEAREST, 200, 10, 3, 30,
                        List.of(), null),
                new Network(10e6, -174, 46, 0.05),
                new Channel("3gpp-uma", 3.5e9, 10, 1.5, 40, 1, 3.5, 8, ShadowingRedraw.DEVICE, 0,
                        "rayleigh", 2, 2, 0, "", null, null),
                new Mobility(MobilityModel.NONE, 1.0, 0),
                new Csi(CsiModel.PERFECT, 0.1),
                new Devices(10, 23, 0.1e9, 2e9, 1e-28, 16, 0, 0, List.of(), ""),
                new Model("mlp", "roberta-base", 4, 8, 32, false, false, null, List.of()),
                new Data(Workload.NONE, 20, 1000, PartitionScheme.IID, 0.5, 0.2, "", "", "sentence", "label", true,
                        DataSource.NONE, "group", 1, 2),
                new Training(3, 10, 1e-2, LocalTrainer.Optimizer.ADAMW, 0, true, TrainingEngine.AUTO, 4,
                        LearningRateSchedule.Kind.CONSTANT, 0, 0, 0, false, 1, ReferenceArm.FEDERATED),
                new Dropout(0.5, 0.9, MaskMode.EXACT, "exact", false, null),
                new Planner("uniform", 1e-4, new GeneralisationBound(0.1, 0.02, 0.05, 1, 1, 1, 4, 0.1), 0, null),
                new Budgets(123, 96.25),
                new Output("runs", 5), null);
    }

    /** The checks of the federation section (docs/buffered.md); only a buffered run uses its numbers. */
    private void checkFederation(RangeChecks c) {
        if (!federation.buffered()) {
            return;
        }
        c.between("federation.concurrency", federation.concurrency(), 0, devices.count());
        int jobs = federation.concurrency(devices.count());
        if (federation.bufferSize() < 1 || federation.bufferSize() > jobs) {
            c.fail("federation.buffer_size", "expected an integer from 1 to " + jobs + " (the jobs in flight at most, "
                    + (federation.concurrency() == 0 ? "every device" : "federation.concurrency")
                    + "; more could never fill the buffer), got " + federation.bufferSize());
        }
        c.positive("federation.staleness_a", federation.stalenessA(), 100);
        c.between("federation.staleness_b", federation.stalenessB(), 0, 1e6);
        c.positive("federation.server_learning_rate", federation.serverLearningRate(), 10);
        if (topology.hierarchical()) {
            c.fail("federation.mode", "expected synchronous with topology.backhaul: buffered aggregation over a backhaul "
                    + "is not supported yet");
        }
    }

    /** Range and consistency checks, all of them, by field path. */
    List<RangeChecks.Violation> rangeViolations() {
        RangeChecks c = new RangeChecks();
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            c.fail("name", "expected a name of letters, digits, '.', '_' and '-', got " + Echo.quoted(String.valueOf(name)));
        }
        c.between("seed", seed, 0, Long.MAX_VALUE);
        c.between("rounds", rounds, 1, 1_000_000);

        if (topology.cells().isEmpty() || topology.cells().size() > 10_000) {
            c.fail("topology.cells", "expected 1 to 10000 cells, got " + topology.cells().size());
        }
        for (int i = 0; i < topology.cells().size(); i++) {
            c.between("topology.cells[" + i + "].x_m", topology.cells().get(i).xM(), -1e7, 1e7);
            c.between("topology.cells[" + i + "].y_m", topology.cells().get(i).yM(), -1e7, 1e7);
        }
        c.between("topology.clusters", topology.clusters(), 1, 1_000_000);
        c.positive("topology.cluster_radius_m", topology.clusterRadiusM(), 1e6);
        if (topology.placement() == Placement.EXPLICIT && topology.positions().size() != devices.count()) {
            c.fail("topology.positions", "expected one position per device (devices.count = " + devices.count()
                    + "), got " + topology.positions().size());
        }
        for (int i = 0; i < topology.positions().size(); i++) {
            c.between("topology.positions[" + i + "].x_m", topology.positions().get(i).xM(), -1e7, 1e7);
            c.between("topology.positions[" + i + "].y_m", topology.positions().get(i).yM(), -1e7, 1e7);
        }
        c.positive("topology.cell_radius_m", topology.cellRadiusM(), 1e6);
        c.between("topology.min_distance_m", topology.minDistanceM(), 1, 1e6);
        if (topology.minDistanceM() >= topology.cellRadiusM()) {
            c.fail("topology.min_distance_m", "expected less than topology.cell_radius_m ("
                    + RangeChecks.num(topology.cellRadiusM()) + "), got " + RangeChecks.num(topology.minDistanceM()));
        }

        if (topology.hierarchical()) {
            BackhaulChecks.check(topology.backhaul(), topology.cells().size(), c);
        }

        if (federation != null) {
            checkFederation(c);
        }

        c.positive("network.bandwidth_hz", network.bandwidthHz(), 1e12);
        c.between("network.noise_psd_dbm_hz", network.noisePsdDbmHz(), -250, 0);
        c.between("network.bs_power_dbm", network.bsPowerDbm(), -50, 90);
        c.between("network.aggregation_time_s", network.aggregationTimeS(), 0, 1e6);

        c.positive("channel.carrier_hz", channel.carrierHz(), 1e12);
        c.between("channel.pl0_db", channel.pl0Db(), 0, 300);
        c.positive("channel.reference_distance_m", channel.referenceDistanceM(), 1e6);
        c.between("channel.exponent", channel.exponent(), 1, 10);
        c.between("channel.shadowing_db", channel.shadowingDb(), 0, 30);
        c.between("channel.rician_k", channel.ricianK(), 0, 1e6);
        c.between("channel.nakagami_m", channel.nakagamiM(), 0.5, 1e6);
        c.positive("channel.bs_height_m", channel.bsHeightM(), 1000);
        c.positive("channel.ue_height_m", channel.ueHeightM(), 1000);
        if (channel.pathLoss().equals("3gpp-umi") && !(channel.bsHeightM() > 1 && channel.ueHeightM() > 1)) {
            c.fail("channel.bs_height_m", "3gpp-umi needs antenna heights above the 1 m effective environment height");
        }
        c.between("channel.shadowing_correlation_m", channel.shadowingCorrelationM(), 0, 1e6);
        if (channel.shadowingCorrelationM() > 0 && devices.count() > 2000) {
            c.fail("channel.shadowing_correlation_m", "spatially correlated shadowing supports up to 2000 devices, got "
                    + devices.count() + "; set 0 for independent shadowing");
        }
        c.between("channel.coherence_s", channel.coherenceS(), 0, 1e9);
        if (channel.coherenceS() > 0) {
            double blocksPerRound = budgets.latencyS() / channel.coherenceS();
            if (blocksPerRound > 100_000 || blocksPerRound * devices.count() > 20_000_000) {
                c.fail("channel.coherence_s", "expected at most 100000 coherence blocks per round and 20000000 per round"
                        + " over all devices; budgets.latency_s / coherence_s = " + RangeChecks.num(Math.ceil(blocksPerRound)));
            }
        }
        if (channel.traced() && channel.traceFile().isBlank()) {
            c.fail("channel.trace_file", "fading: trace needs a CSV file of gains (round,device,gain_db)");
        }
        c.between("mobility.speed_mps", mobility.speedMps(), 0, 1000);
        c.between("mobility.pause_s", mobility.pauseS(), 0, 1e9);
        c.between("csi.error_variance", csi.errorVariance(), 0, 100);

        c.between("devices.count", devices.count(), 1, 1_000_000);
        c.between("devices.max_power_dbm", devices.maxPowerDbm(), -50, 60);
        c.positive("devices.cpu_max_hz", devices.cpuMaxHz(), 1e12);
        c.positive("devices.cpu_min_hz", devices.cpuMinHz(), 1e12);
        if (devices.cpuMinHz() > devices.cpuMaxHz()) {
            c.fail("devices.cpu_min_hz", "expected at most devices.cpu_max_hz ("
                    + RangeChecks.num(devices.cpuMaxHz()) + "), got " + RangeChecks.num(devices.cpuMinHz()));
        }
        c.positive("devices.kappa", devices.kappa(), 1);
        c.positive("devices.flops_per_cycle", devices.flopsPerCycle(), 1e6);
        availability(c, "devices", devices.meanOnlineRounds(), devices.meanOfflineRounds());
        deviceClasses(c);

        if (ModelCatalogue.find(model.profile()).isEmpty()) {
            c.fail("model.profile", "expected one of " + String.join(", ", ModelCatalogue.names())
                    + ", got " + Echo.quoted(model.profile()));
        }
        c.between("model.rank", model.rank(), 1, 65_536);
        c.positive("model.alpha", model.alpha(), 1e6);
        c.between("model.bits_per_parameter", model.bitsPerParameter(), 1, 64);
        if (model.roundDownload() && model.bitsPerParameter() >= 32) {
            c.fail("model.round_download", "rounds the download to model.bits_per_parameter, which is "
                    + model.bitsPerParameter() + ": expected bits_per_parameter below 32, or round_download false");
        }
        for (int i = 0; i < model.bitWidths().size(); i++) {
            Integer width = model.bitWidths().get(i);
            if (width == null || width < 1 || width > GeneralisationBound.FULL_PRECISION) {
                c.fail("model.bit_widths[" + i + "]", "expected a whole number of bits from 1 to "
                        + GeneralisationBound.FULL_PRECISION + " (32: full precision), got " + width);
            } else if (model.bitWidths().indexOf(width) < i) {
                c.fail("model.bit_widths[" + i + "]", "expected each width once, got " + width + " again");
            }
        }
        if (model.plansBits() && model.roundDownload()) {
            c.fail("model.round_download", "expected false with model.bit_widths: a planned width rounds the upload only");
        }

        c.between("data.samples_per_device", data.samplesPerDevice(), 1, 1_000_000_000);
        c.between("training.local_epochs", training.localEpochs(), 1, 10_000);
        c.between("data.groups_per_device", data.groupsPerDevice(), 1, 1000);
        c.between("data.classes_per_device", data.classesPerDevice(), 1, 1000);
        if (data.source() != DataSource.NONE && data.workload() != Workload.TEXT_CLASSIFICATION) {
            c.fail("data.source", "a corpus is for data.workload: text-classification");
        }
        if (data.source() != DataSource.NONE && !(data.trainFile().isBlank() && data.testFile().isBlank())) {
            c.fail("data.source", "give either data.source or data.train_file and data.test_file, not both");
        }
        if (data.partition() == PartitionScheme.BY_GROUP && data.workload() != Workload.TEXT_CLASSIFICATION) {
            c.fail("data.partition", "by-group needs a text-classification workload whose files have a group column");
        }
        if (data.workload() == Workload.TEXT_CLASSIFICATION && data.source() == DataSource.NONE) {
            if (data.trainFile().isBlank()) {
                c.fail("data.train_file", "text-classification needs a TSV, CSV or JSONL file of labelled training texts");
            }
            if (data.testFile().isBlank()) {
                c.fail("data.test_file", "text-classification needs a TSV, CSV or JSONL file of labelled test texts");
            }
            if (data.textColumn().isBlank()) {
                c.fail("data.text_column", "expected a column name, or a 0-based number when data.header is false");
            }
            if (data.labelColumn().isBlank()) {
                c.fail("data.label_column", "expected a column name, or a 0-based number when data.header is false");
            }
        }
        c.between("data.test_samples", data.testSamples(), 1, 10_000_000);
        c.positive("data.dirichlet_alpha", data.dirichletAlpha(), 1e6);
        c.between("data.label_noise", data.labelNoise(), 0, 1);
        c.between("training.batch_size", training.batchSize(), 1, 1_000_000);
        c.positive("training.learning_rate", training.learningRate(), 10);
        c.between("training.weight_decay", training.weightDecay(), 0, 10);
        c.between("training.cohort", training.cohort(), 1, 100_000);
        c.between("training.evaluate_every", training.evaluateEvery(), 1, 1_000_000);
        c.between("training.warmup_share", training.warmupShare(), 0, 1);
        c.between("training.max_grad_norm", training.maxGradNorm(), 0, 1e6);
        c.between("training.head_learning_rate", training.headLearningRate(), 0, 10);
        if (training.lengthBuckets() && data.workload() == Workload.SYNTHETIC) {
            c.fail("training.length_buckets", "expected false for data.workload synthetic: its samples are feature"
                    + " vectors, not texts (true batches texts of similar length together)");
        }
        if (training.arm() != ReferenceArm.FEDERATED && data.workload() == Workload.NONE) {
            c.fail("training.arm", "expected federated with data.workload none: the reference arms learn (set"
                    + " data.workload)");
        } else if (training.arm() == ReferenceArm.BAG_OF_WORDS && data.workload() != Workload.TEXT_CLASSIFICATION) {
            c.fail("training.arm", "expected federated or centralised with data.workload "
                    + EnumLabels.label(data.workload()) + ": bag-of-words needs texts (data.workload text-classification)");
        }
        if (data.workload() != Workload.NONE && totalSamples() > 10_000_000) {
            c.fail(devices.classes().isEmpty() ? "data.samples_per_device" : "devices.classes",
                    "expected at most 10000000 training samples in all with a learning workload, got " + totalSamples());
        }

        c.between("dropout.max_rate", dropout.maxRate(), 0, 0.999);
        if (!(dropout.rate() >= 0 && dropout.rate() < 1)) {
            c.fail("dropout.rate", "expected a dropout rate γ in [0, 1), got " + RangeChecks.num(dropout.rate()));
        } else if (dropout.rate() > dropout.maxRate()) {
            c.fail("dropout.rate", "expected at most dropout.max_rate (" + RangeChecks.num(dropout.maxRate())
                    + "), got " + RangeChecks.num(dropout.rate()));
        }

        c.between("planner.relative_gap", planner.relativeGap(), 1e-9, 0.5);
        if (!(planner.outage() == 0 || (planner.outage() > 0 && planner.outage() <= 0.5))) {
            c.fail("planner.outage", "expected an outage probability ε in (0, 0.5], or 0 for nominal plans, got "
                    + RangeChecks.num(planner.outage()));
        }
        GeneralisationBound b = planner.bound();
        c.between("planner.bound.epsilon0", b.epsilon0(), 0, 1e6);
        c.between("planner.bound.c_var", b.cVar(), 0, 1e6);
        c.between("planner.bound.c_reg", b.cReg(), 0, 1e6);
        c.positive("planner.bound.loss_bound", b.lossBound(), 1e6);
        c.positive("planner.bound.lipschitz", b.lipschitz(), 1e6);
        c.positive("planner.bound.strong_convexity", b.strongConvexity(), 1e6);
        c.between("planner.bound.sparsity_weight", b.sparsityWeight(), 0, 1e6);
        c.between("planner.bound.confidence", b.confidence(), 1e-12, 1);
        c.between("planner.bound.c_quant", b.quantisationWeight(), 0, 1e12);
        c.positive("budgets.latency_s", budgets.latencyS(), 1e9);
        c.positive("budgets.energy_j", budgets.energyJ(), 1e12);

        if (output.dir() == null || output.dir().isBlank()) {
            c.fail("output.dir", "expected a directory path");
        }
        c.between("output.checkpoint_every", output.checkpointEvery(), 0, 1_000_000);
        return c.violations();
    }

    /**
     * Σ D_k, the training samples of all devices as the classes (or {@code data.samples_per_device})
     * give them; a quantity- or label-skewed partition redistributes the same total.
     */
    public long totalSamples() {
        if (devices.classes().isEmpty()) {
            return (long) data.samplesPerDevice() * devices.count();
        }
        int[] counts = devices.classCounts();
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            total += (long) counts[i] * devices.classes().get(i).samples();
        }
        return total;
    }

    /** A two-state availability chain: off (0) means always online; else both mean sojourns of at least a round. */
    private static void availability(RangeChecks c, String path, double meanOnline, double meanOffline) {
        c.between(path + ".mean_online_rounds", meanOnline, 0, 1e9);
        c.between(path + ".mean_offline_rounds", meanOffline, 0, 1e9);
        if (meanOffline > 0 && !(meanOnline >= 1)) {
            c.fail(path + ".mean_online_rounds", "devices that go offline (mean_offline_rounds "
                    + RangeChecks.num(meanOffline) + ") need a mean online sojourn of at least 1 round, got "
                    + RangeChecks.num(meanOnline));
        }
        if (meanOffline > 0 && meanOffline < 1) {
            c.fail(path + ".mean_offline_rounds", "expected 0 (always online) or a mean offline sojourn of at least 1 round, got "
                    + RangeChecks.num(meanOffline));
        }
    }

    private void deviceClasses(RangeChecks c) {
        List<DeviceClass> classes = devices.classes();
        if (classes.isEmpty()) {
            return;
        }
        if (classes.size() > 1000) {
            c.fail("devices.classes", "expected at most 1000 device classes, got " + classes.size());
            return;
        }
        boolean byCount = classes.get(0).count() > 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        double shares = 0;
        long counted = 0;
        for (int i = 0; i < classes.size(); i++) {
            DeviceClass k = classes.get(i);
            String p = "devices.classes[" + i + "]";
            if (k.name() == null || !k.name().matches("[A-Za-z0-9._-]+")) {
                c.fail(p + ".name", "expected a class name of letters, digits, '.', '_' and '-', got "
                        + Echo.quoted(String.valueOf(k.name())));
            } else if (!names.add(k.name())) {
                c.fail(p + ".name", "expected each class name once, got " + Echo.quoted(k.name()) + " again");
            }
            c.between(p + ".share", k.share(), 0, 1);
            c.between(p + ".count", k.count(), 0, 1_000_000);
            if (k.share() > 0 && k.count() > 0) {
                c.fail(p + ".count", "give a class either a share or a count, not both");
            } else if (k.share() <= 0 && k.count() <= 0) {
                c.fail(p + ".share", "expected a share in (0, 1] or a count of at least 1");
            } else if (byCount != (k.count() > 0)) {
                c.fail(p + (byCount ? ".share" : ".count"), "expected every class to give a " + (byCount ? "count" : "share")
                        + ", as devices.classes[0] does");
            }
            shares += k.share();
            counted += k.count();
            c.between(p + ".max_power_dbm", k.maxPowerDbm(), -50, 60);
            c.positive(p + ".cpu_max_hz", k.cpuMaxHz(), 1e12);
            c.positive(p + ".cpu_min_hz", k.cpuMinHz(), 1e12);
            if (k.cpuMinHz() > k.cpuMaxHz()) {
                c.fail(p + ".cpu_min_hz", "expected at most " + p + ".cpu_max_hz (" + RangeChecks.num(k.cpuMaxHz())
                        + "), got " + RangeChecks.num(k.cpuMinHz()));
            }
            c.positive(p + ".kappa", k.kappa(), 1);
            c.positive(p + ".flops_per_cycle", k.flopsPerCycle(), 1e6);
            c.positive(p + ".energy_budget_j", k.energyBudgetJ(), 1e12);
            c.between(p + ".samples", k.samples(), 1, 1_000_000_000);
            c.between(p + ".local_epochs", k.localEpochs(), 1, 10_000);
            availability(c, p, k.meanOnlineRounds(), k.meanOfflineRounds());
        }
        if (byCount && counted != devices.count()) {
            c.fail("devices.classes", "expected class counts that sum to devices.count (" + devices.count() + "), got "
                    + counted);
        }
        if (!byCount && Math.abs(shares - 1) > 1e-6 && classes.stream().allMatch(k -> k.share() > 0)) {
            c.fail("devices.classes", "expected class shares that sum to 1, got " + RangeChecks.num(shares));
        }
    }
}
