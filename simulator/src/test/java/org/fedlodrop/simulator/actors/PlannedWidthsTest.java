package org.fedlodrop.simulator.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bits in the plan (issue 31, item 2): with {@code model.bit_widths} the optimising planners give each device its
 * width, the PLAN event says which, and the device's upload is costed and rounded at it; with one width of 32 the
 * run is the run without widths.
 */
class PlannedWidthsTest {
    @TempDir
    Path temp;

    /** first-run (GPT-2 small's costs: LoRA rank 8 on the 12 c_attn layers of 768 → 2304, no head) for 3 rounds. */
    private static final String[] JOINT = {"rounds=3", "model.bit_widths=[4, 8, 16, 32]", "planner.bound.c_quant=10"};

    @Test
    void eachDeviceUploadsAtThePlannedWidth() throws Exception {
        for (String solver : List.of("psca", "bnb")) {
            RunFixture run = RunFixture.runScenario(temp.resolve(solver), "first-run.yaml", 1,
                    with(JOINT, "planner.solver=" + solver));
            Map<String, Integer> bits = new HashMap<>();
            for (EventRecord event : run.events()) {
                if (event.type() != EventType.PLAN) {
                    continue;
                }
                for (Object entry : (List<?>) event.payload().get("devices")) {
                    Map<?, ?> device = (Map<?, ?>) entry;
                    if (!Boolean.TRUE.equals(device.get("served"))) {
                        continue; // left out: nothing travels, and the plan gives no width
                    }
                    assertThat(device.get("bits")).as("every served device has a width").isNotNull();
                    bits.put(event.round() + "/" + device.get("device"), ((Number) device.get("bits")).intValue());
                }
            }
            int below = 0;
            int checked = 0;
            for (DeviceRoundRecord d : run.devices()) {
                if (d.bandwidthHz() == 0 || !d.outcome().label().equals("aggregated")) {
                    continue;
                }
                int q = bits.get(d.round() + "/" + d.device());
                assertThat(q).isIn(4, 8, 16, 32);
                // eq. 5 by hand: the kept columns of A (768 inputs) and rows of B (2304 outputs), rank 8, 12 layers.
                long kept = 12L * 8 * ((768 - (long) Math.floor(d.gamma() * 768)) + (2304 - (long) Math.floor(d.gamma() * 2304)));
                assertThat(d.payloadBits()).as("%s round %d device %d", solver, d.round(), d.device())
                        .isEqualTo((double) q * kept);
                below += q < 32 ? 1 : 0;
                checked++;
            }
            assertThat(checked).isGreaterThan(20);
            assertThat(below).as(solver + ": device-rounds sent below 32 bits").isPositive();
        }
    }

    @Test
    void plannedWidthsAreTheSameOnAnyNumberOfThreads() throws Exception {
        RunFixture one = RunFixture.runScenario(temp.resolve("one"), "first-run.yaml", 1, JOINT);
        RunFixture four = RunFixture.runScenario(temp.resolve("four"), "first-run.yaml", 4, JOINT);
        org.fedlodrop.simulator.RunDirectories.assertSameFiles(four.directory(), one.directory());
    }

    /** One width of 32 bits: the same problem, so the same plans, costs and model as without widths. */
    @Test
    void fullPrecisionAloneIsTheRunWithoutWidths() throws Exception {
        for (String solver : List.of("psca", "bnb")) {
            RunFixture without = RunFixture.runScenario(temp.resolve("without-" + solver), "first-run.yaml", 1,
                    "rounds=3", "planner.solver=" + solver);
            RunFixture with = RunFixture.runScenario(temp.resolve("with-" + solver), "first-run.yaml", 1,
                    "rounds=3", "planner.solver=" + solver, "model.bit_widths=[32]");
            for (String file : List.of(RunFiles.DEVICES, RunFiles.ROUNDS, RunFiles.MODEL)) {
                assertThat(with.bytes(file)).as(solver + " " + file).isEqualTo(without.bytes(file));
            }
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
