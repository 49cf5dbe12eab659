package org.fedlodrop.simulator.scenario;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/** The checks of {@code topology.backhaul}: its numbers, its node names, and that every cell reaches the cloud. */
final class BackhaulChecks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern CELL = Pattern.compile("cell-(\\d+)");

    private BackhaulChecks() {
    }

    static void check(Scenario.Backhaul backhaul, int cells, RangeChecks c) {
        c.between("topology.backhaul.cloud_every", backhaul.cloudEvery(), 1, 1_000_000);
        List<Scenario.BackhaulLink> links = backhaul.links();
        if (links.isEmpty()) {
            c.fail("topology.backhaul.links", "expected links joining every cell (cell-0 … cell-" + (cells - 1)
                    + ") to the node cloud, got none");
            return;
        }
        Graph<String, DefaultEdge> graph = new SimpleGraph<>(DefaultEdge.class);
        Set<String> pairs = new HashSet<>();
        boolean named = true;
        for (int i = 0; i < links.size(); i++) {
            Scenario.BackhaulLink link = links.get(i);
            String at = "topology.backhaul.links[" + i + "]";
            named &= node(at + ".from", link.from(), cells, c);
            named &= node(at + ".to", link.to(), cells, c);
            c.between(at + ".latency_s", link.latencyS(), 0, 1e6);
            if (!(link.capacityBps() > 0)) {
                c.fail(at + ".capacity_bps", "expected a positive capacity in bit/s, got " + RangeChecks.num(link.capacityBps()));
            }
            if (link.from().equals(link.to())) {
                c.fail(at + ".to", "expected a node other than from (" + link.from() + "): a link joins two nodes");
                named = false;
                continue;
            }
            String pair = link.from().compareTo(link.to()) < 0 ? link.from() + "|" + link.to() : link.to() + "|" + link.from();
            if (!pairs.add(pair)) {
                c.fail(at, "expected one link between " + link.from() + " and " + link.to() + ", got a second");
            }
            graph.addVertex(link.from());
            graph.addVertex(link.to());
            graph.addEdge(link.from(), link.to());
        }
        if (!named) {
            return;
        }
        if (!graph.containsVertex(Scenario.Backhaul.CLOUD)) {
            c.fail("topology.backhaul.links", "expected a link to the node cloud, where the cells' models are merged");
            return;
        }
        ConnectivityInspector<String, DefaultEdge> connected = new ConnectivityInspector<>(graph);
        for (int cell = 0; cell < cells; cell++) {
            String node = Scenario.Backhaul.cellNode(cell);
            if (!graph.containsVertex(node)) {
                c.fail("topology.backhaul.links", "expected every cell in the backhaul, but " + node
                        + " has no link (topology.cells has " + cells + " cells)");
            } else if (!connected.pathExists(node, Scenario.Backhaul.CLOUD)) {
                c.fail("topology.backhaul.links", "expected a connected backhaul, but " + node
                        + " has no path to cloud");
            }
        }
    }

    /** Whether {@code name} is a usable node: a name, and a cell that exists where it names one. */
    private static boolean node(String path, String name, int cells, RangeChecks c) {
        if (name == null || !NAME.matcher(name).matches()) {
            c.fail(path, "expected a node name (cloud, cell-0 … cell-" + (cells - 1) + ", or a router's name of letters, "
                    + "digits, '.', '_' and '-'), got " + Echo.quoted(String.valueOf(name)));
            return false;
        }
        Matcher cell = CELL.matcher(name);
        if (cell.matches() && (cell.group(1).length() > 6 || Integer.parseInt(cell.group(1)) >= cells)) {
            c.fail(path, "expected a cell from cell-0 to cell-" + (cells - 1) + " (topology.cells has " + cells
                    + "), got " + name);
            return false;
        }
        return true;
    }
}
