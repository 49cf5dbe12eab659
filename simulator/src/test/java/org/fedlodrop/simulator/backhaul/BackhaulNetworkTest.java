package org.fedlodrop.simulator.backhaul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes and transfer times on small backhauls, worked by hand. */
class BackhaulNetworkTest {
    private static final List<String> THREE = List.of("cell-0", "cell-1", "cell-2");

    /**
     * cell-0 and cell-1 reach the cloud through a router whose uplink (1 Gb/s) they share; cell-1's own link is
     * 200 Mb/s; cell-2 has a 100 Mb/s link of its own. Progressive filling: the tightest share is cell-2's link
     * (100 Mb/s for cell-2), then cell-1's (200 Mb/s), and the router's uplink leaves 800 Mb/s for cell-0. 1 Mbit
     * each: cell-0 1.25 ms + 20 ms, cell-1 5 ms + 30 ms, cell-2 10 ms + 50 ms.
     */
    @Test
    void sharedLinksAreSharedMaxMinFairly() {
        BackhaulNetwork network = new BackhaulNetwork(List.of(
                new BackhaulNetwork.Link("cell-0", "router", 0.01, 1e9),
                new BackhaulNetwork.Link("cell-1", "router", 0.02, 2e8),
                new BackhaulNetwork.Link("router", "cloud", 0.01, 1e9),
                new BackhaulNetwork.Link("cell-2", "cloud", 0.05, 1e8)), THREE, "cloud");
        assertThat(network.fairRates(new boolean[] {true, true, true})).containsExactly(8e8, 2e8, 1e8);
        double[] seconds = network.transferS(1e6);
        assertThat(seconds[0]).isCloseTo(0.00125 + 0.02, within(1e-12));
        assertThat(seconds[1]).isCloseTo(0.005 + 0.03, within(1e-12));
        assertThat(seconds[2]).isCloseTo(0.01 + 0.05, within(1e-12));
        assertThat(network.routes().get(1).nodes()).containsExactly("cell-1", "router", "cloud");
        assertThat(network.routes().get(2).nodes()).containsExactly("cell-2", "cloud");
        CloudTransfers merge = new CloudTransfers(1e6, seconds);
        assertThat(merge.roundTripS()).isCloseTo(0.12, within(1e-12));
    }

    /** Two cells on one 10 Mb/s link: 5 Mb/s each; alone, one cell has the whole link (what a finished transfer frees). */
    @Test
    void aLinkAloneIsWholeAndSharedIsHalved() {
        BackhaulNetwork network = new BackhaulNetwork(List.of(
                new BackhaulNetwork.Link("cell-0", "switch", 0, 1e12),
                new BackhaulNetwork.Link("cell-1", "switch", 0, 1e12),
                new BackhaulNetwork.Link("switch", "cloud", 0.002, 1e7)), List.of("cell-0", "cell-1"), "cloud");
        assertThat(network.fairRates(new boolean[] {true, true})).containsExactly(5e6, 5e6);
        assertThat(network.fairRates(new boolean[] {false, true})).containsExactly(0, 1e7);
        assertThat(network.transferS(1e6)).containsExactly(0.2 + 0.002, 0.2 + 0.002);
        assertThat(network.transferS(0)).containsExactly(0.002, 0.002);
    }

    /** Routes are shortest by latency, however many hops; of equally fast ones the fewest hops win. */
    @Test
    void routesAreShortestByLatencyThenByHops() {
        BackhaulNetwork network = new BackhaulNetwork(List.of(
                new BackhaulNetwork.Link("cell-0", "cloud", 0.1, 1e9),
                new BackhaulNetwork.Link("cell-0", "a", 0.01, 1e9),
                new BackhaulNetwork.Link("a", "cloud", 0.01, 1e9),
                new BackhaulNetwork.Link("cell-1", "cloud", 0.01, 1e9),
                new BackhaulNetwork.Link("cell-1", "b", 0, 1e9),
                new BackhaulNetwork.Link("b", "c", 0.01, 1e9),
                new BackhaulNetwork.Link("c", "cloud", 0, 1e9)), List.of("cell-0", "cell-1"), "cloud");
        assertThat(network.routes().get(0).nodes()).containsExactly("cell-0", "a", "cloud");
        assertThat(network.routes().get(0).latencyS()).isCloseTo(0.02, within(1e-15));
        assertThat(network.routes().get(1).nodes()).containsExactly("cell-1", "cloud");
    }

    @Test
    void aCellWithoutAPathIsRefused() {
        assertThatThrownBy(() -> new BackhaulNetwork(List.of(new BackhaulNetwork.Link("cell-0", "cloud", 0, 1e9),
                new BackhaulNetwork.Link("cell-1", "router", 0, 1e9)), List.of("cell-0", "cell-1"), "cloud"))
                .hasMessage("cell-1 has no path to cloud");
    }
}
