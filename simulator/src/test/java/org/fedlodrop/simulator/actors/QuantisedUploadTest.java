package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.SafeTensors;
import org.fedlodrop.reports.records.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Below 32 bits per parameter the trained sub-adapter travels quantised (issue 31, item 1): with one device,
 * no dropout and the masked mean, the global adapter after a round is the device's upload, so each row of A
 * and each column of B holds at most 2^q distinct values; at 32 bits it holds as many as it has entries.
 */
class QuantisedUploadTest {
    @TempDir
    Path temp;

    private static final String[] ONE_DEVICE = {"data.workload=synthetic", "devices.count=1", "rounds=1",
            "planner.solver=no-dropout", "dropout.aggregation=masked-mean", "model.rank=4"};

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(ONE_DEVICE, ONE_DEVICE.length + more.length);
        System.arraycopy(more, 0, all, ONE_DEVICE.length, more.length);
        return all;
    }

    @Test
    void theUploadCarriesAtMostTwoToTheQValuesPerRankDirection() throws Exception {
        Tensor a2 = tensor(RunFixture.run(temp.resolve("q2"), 1, with("model.bits_per_parameter=2")), "layers.0.lora_A");
        Tensor b2 = tensor(RunFixture.run(temp.resolve("q2b"), 1, with("model.bits_per_parameter=2")), "layers.0.lora_B");
        Tensor a32 = tensor(RunFixture.run(temp.resolve("q32"), 1, ONE_DEVICE), "layers.0.lora_A");
        int rank = (int) a2.shape()[0];
        int inputs = (int) a2.shape()[1];
        for (int k = 0; k < rank; k++) {
            assertThat(distinct(a2, k, inputs, 1)).as("row %d of A at 2 bits", k).isBetween(2, 4);
            assertThat(distinct(a32, k, inputs, 1)).as("row %d of A at 32 bits", k).isEqualTo(inputs);
        }
        int outputs = (int) b2.shape()[0];
        for (int k = 0; k < rank; k++) {
            assertThat(distinct(b2, k, outputs, rank)).as("column %d of B at 2 bits", k).isLessThanOrEqualTo(4);
        }
    }

    /** A width the planner chose (issue 31, item 2) rounds the upload as bits_per_parameter does (here 32). */
    @Test
    void aPlannedWidthRoundsTheUploadToo() throws Exception {
        String[] planned = with("planner.solver=bnb", "dropout.rate=0", "dropout.max_rate=0", "model.bit_widths=[2]");
        Tensor a = tensor(RunFixture.run(temp.resolve("planned"), 1, planned), "layers.0.lora_A");
        for (int k = 0; k < (int) a.shape()[0]; k++) {
            assertThat(distinct(a, k, (int) a.shape()[1], 1)).as("row %d of A at a planned 2 bits", k).isBetween(2, 4);
        }
    }

    @Test
    void quantisedRunsAreTheSameOnAnyNumberOfThreads() throws Exception {
        RunFixture one = RunFixture.run(temp.resolve("one"), 1, with("model.bits_per_parameter=4", "devices.count=6",
                "rounds=3", "planner.solver=psca", "dropout.aggregation=exact"));
        RunFixture four = RunFixture.run(temp.resolve("four"), 4, with("model.bits_per_parameter=4", "devices.count=6",
                "rounds=3", "planner.solver=psca", "dropout.aggregation=exact"));
        org.fedlodrop.simulator.RunDirectories.assertSameFiles(four.directory(), one.directory());
    }

    @Test
    void onlyTheRoundedEntriesAreCostedAtQBits() throws Exception {
        // quickstart's roberta-base profile: rank 4 on query and value (12 blocks of 768), a head of 592,130.
        RunFixture run = RunFixture.run(temp.resolve("costs"), 1, "devices.count=3", "rounds=2",
                "planner.solver=no-dropout", "model.rank=4", "model.bits_per_parameter=8", "budgets.latency_s=1000",
                "budgets.energy_j=1000");
        long lora = 12L * 2 * 4 * (768 + 768);
        long head = 768L * 768 + 768 + 768L * 2 + 2;
        for (org.fedlodrop.reports.records.DeviceRoundRecord d : run.devices()) {
            // Up: the LoRA entries rounded to 8 bits, the head whole. Down: the sub-adapter whole, at 32 bits, and
            // from round 1 the W0 change of exact aggregation after 3 updates, (3 + 1) r (n1 + n2) a layer, unrounded.
            assertThat(d.payloadBits()).isEqualTo(8.0 * lora + 32.0 * head);
            double down = 32.0 * (lora + head) + (d.round() == 0 ? 0 : 32.0 * 4 * lora);
            assertThat(d.downlinkRateBps() * d.tDlS()).as("round %d", d.round()).isCloseTo(down, within(1e-6 * down));
        }
    }

    @Test
    void aRoundedDownloadIsCostedAtQBitsAndChangesWhatTheDevicesStartFrom() throws Exception {
        String[] rounded = {"data.workload=synthetic", "devices.count=4", "rounds=3", "planner.solver=psca",
            "model.rank=4", "model.bits_per_parameter=4", "model.round_download=true"};
        RunFixture one = RunFixture.run(temp.resolve("rounded-one"), 1, rounded);
        RunFixture four = RunFixture.run(temp.resolve("rounded-four"), 4, rounded);
        org.fedlodrop.simulator.RunDirectories.assertSameFiles(four.directory(), one.directory());
        String[] whole = java.util.Arrays.copyOf(rounded, rounded.length - 1);
        RunFixture unrounded = RunFixture.run(temp.resolve("unrounded"), 1, whole);
        long head = 768L * 768 + 768 + 768L * 2 + 2;
        java.util.List<org.fedlodrop.reports.records.DeviceRoundRecord> rows = one.devices();
        java.util.List<org.fedlodrop.reports.records.DeviceRoundRecord> wholeRows = unrounded.devices();
        int checked = 0;
        for (int i = 0; i < rows.size(); i++) {
            org.fedlodrop.reports.records.DeviceRoundRecord d = rows.get(i);
            if (d.round() > 0 || !d.outcome().label().equals("aggregated")
                    || !wholeRows.get(i).outcome().label().equals("aggregated")) {
                continue; // round 0 carries no W0 change
            }
            // Rounded, down as up: the kept LoRA entries at 4 bits, the head whole. Unrounded: all of it at 32 bits
            // (its kept entries read off its own upload, 4 bits each besides the head).
            assertThat(d.downlinkRateBps() * d.tDlS()).isCloseTo(d.payloadBits(), within(1e-6 * d.payloadBits()));
            org.fedlodrop.reports.records.DeviceRoundRecord w = wholeRows.get(i);
            double lora = (w.payloadBits() - 32.0 * head) / 4;
            assertThat(w.downlinkRateBps() * w.tDlS()).isCloseTo(32.0 * (lora + head), within(1e-6 * 32 * (lora + head)));
            checked++;
        }
        assertThat(checked).isPositive();
        assertThat(java.nio.file.Files.readAllBytes(one.directory().resolve(RunFiles.MODEL)))
                .isNotEqualTo(java.nio.file.Files.readAllBytes(unrounded.directory().resolve(RunFiles.MODEL)));
    }

    private static Tensor tensor(RunFixture run, String name) throws Exception {
        return SafeTensors.read(run.directory().resolve(RunFiles.MODEL)).tensors().get(name);
    }

    /** Distinct values among {@code count} entries of a row-major tensor from index {@code k}, {@code stride} apart. */
    private static int distinct(Tensor tensor, int k, int count, int stride) {
        int columns = (int) tensor.shape()[1];
        Set<Float> values = new HashSet<>();
        for (int i = 0; i < count; i++) {
            values.add(stride == 1 ? tensor.data()[k * columns + i] : tensor.data()[i * columns + k]);
        }
        return values.size();
    }
}
