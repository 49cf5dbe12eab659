package org.fedlodrop.simulator.backhaul;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * The backhaul as a weighted graph (docs/hierarchy.md): nodes are the cells' edge servers
 * ({@code cell-0} …), routers, and the cloud; each link has a latency and a capacity in each direction
 * (full duplex). A cell's route to the cloud is its shortest path by latency, ties going to fewer hops.
 * Transfers that start together share the links of their routes max-min fairly, and a transfer that
 * finishes frees its share for the others (a fluid model, Bertsekas and Gallager, Data Networks, §6.5.2);
 * a transfer lasts until its last bit has left plus its route's latency.
 */
public final class BackhaulNetwork {
    /** Added to every link's latency when routing only, so that of equally fast routes the one with fewer hops wins. */
    private static final double HOP_TIE = 1e-12;

    /** A link as the scenario gives it. */
    public record Link(String from, String to, double latencyS, double capacityBps) {
    }

    /** One cell's route: its links (indices into the link list) from the cell to the cloud, and their latency. */
    public record Route(int cell, List<String> nodes, int[] links, double latencyS) {
        public Route {
            nodes = List.copyOf(nodes);
            links = links.clone();
        }

        @Override
        public int[] links() {
            return links.clone();
        }
    }

    private final List<Link> links;
    private final List<Route> routes;

    /**
     * @param cellNodes each cell's node name, by cell index
     * @param cloud     the cloud's node name
     * @throws IllegalArgumentException when a cell has no path to the cloud (the scenario's checks find it first)
     */
    public BackhaulNetwork(List<Link> links, List<String> cellNodes, String cloud) {
        this.links = List.copyOf(links);
        Graph<String, DefaultWeightedEdge> graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        java.util.Map<DefaultWeightedEdge, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < links.size(); i++) {
            Link link = links.get(i);
            graph.addVertex(link.from());
            graph.addVertex(link.to());
            DefaultWeightedEdge edge = graph.addEdge(link.from(), link.to());
            graph.setEdgeWeight(edge, link.latencyS() + HOP_TIE);
            index.put(edge, i);
        }
        DijkstraShortestPath<String, DefaultWeightedEdge> shortest = new DijkstraShortestPath<>(graph);
        List<Route> found = new ArrayList<>();
        for (int c = 0; c < cellNodes.size(); c++) {
            String node = cellNodes.get(c);
            GraphPath<String, DefaultWeightedEdge> path = graph.containsVertex(node) && graph.containsVertex(cloud)
                    ? shortest.getPath(node, cloud) : null;
            if (path == null) {
                throw new IllegalArgumentException(node + " has no path to " + cloud);
            }
            int[] used = path.getEdgeList().stream().mapToInt(index::get).toArray();
            double latency = 0;
            for (int l : used) {
                latency += links.get(l).latencyS();
            }
            found.add(new Route(c, path.getVertexList(), used, latency));
        }
        this.routes = List.copyOf(found);
    }

    public List<Route> routes() {
        return routes;
    }

    public List<Link> links() {
        return links;
    }

    /**
     * Where a map draws each node, given the cells' places ({x, y} by cell): a cell at its base station; any other node
     * at the mean x of the cells whose routes pass through it, above the cells by a quarter of their span (at least
     * 100 m) times how far along those routes it lies; a node on no route above the cloud's place. For drawing only.
     */
    public java.util.Map<String, double[]> drawnAt(List<double[]> cells) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        for (double[] cell : cells) {
            minX = Math.min(minX, cell[0]);
            maxX = Math.max(maxX, cell[0]);
            minY = Math.min(minY, cell[1]);
            maxY = Math.max(maxY, cell[1]);
        }
        double lift = Math.max(100, Math.max(maxX - minX, maxY - minY) / 4);
        java.util.Map<String, double[]> sums = new java.util.LinkedHashMap<>(); // x sum, height sum, count
        java.util.Map<String, double[]> at = new java.util.LinkedHashMap<>();
        for (Route route : routes) {
            int hops = route.nodes().size() - 1;
            at.put(route.nodes().get(0), cells.get(route.cell()).clone());
            for (int i = 1; i <= hops; i++) {
                double[] sum = sums.computeIfAbsent(route.nodes().get(i), n -> new double[3]);
                sum[0] += cells.get(route.cell())[0];
                sum[1] += (double) i / hops;
                sum[2]++;
            }
        }
        double base = maxY;
        sums.forEach((node, sum) -> at.putIfAbsent(node, new double[] {sum[0] / sum[2], base + lift * sum[1] / sum[2]}));
        double[] top = at.getOrDefault(routes.isEmpty() ? "" : routes.get(0).nodes().get(routes.get(0).nodes().size() - 1),
                new double[] {(minX + maxX) / 2, maxY + lift});
        for (Link link : links) {
            at.putIfAbsent(link.from(), new double[] {top[0], top[1] + lift / 2});
            at.putIfAbsent(link.to(), new double[] {top[0], top[1] + lift / 2});
        }
        return at;
    }

    /**
     * How long each cell's transfer of {@code bits} lasts when all cells start at once, in seconds, by cell:
     * the time its last bit leaves under max-min fair sharing of every link, plus its route's latency. The
     * same both ways: each direction of a link has its full capacity.
     */
    public double[] transferS(double bits) {
        int n = routes.size();
        double[] remaining = new double[n];
        double[] done = new double[n];
        boolean[] active = new boolean[n];
        Arrays.fill(remaining, bits);
        Arrays.fill(active, bits > 0);
        double now = 0;
        while (anyActive(active)) {
            double[] rate = fairRates(active);
            double step = Double.POSITIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (active[c]) {
                    step = Math.min(step, remaining[c] / rate[c]);
                }
            }
            now += step;
            for (int c = 0; c < n; c++) {
                if (active[c]) {
                    remaining[c] -= rate[c] * step;
                    // Transfers of equal size on equal shares end together: what rounding leaves is not a transfer.
                    if (remaining[c] <= 1e-9 * bits) {
                        active[c] = false;
                        done[c] = now;
                    }
                }
            }
        }
        double[] seconds = new double[n];
        for (int c = 0; c < n; c++) {
            seconds[c] = done[c] + routes.get(c).latencyS();
        }
        return seconds;
    }

    /** Max-min fair rates of the active transfers by progressive filling: the tightest link fixes its transfers' share first. */
    double[] fairRates(boolean[] active) {
        int n = routes.size();
        double[] rate = new double[n];
        boolean[] fixed = new boolean[n];
        double[] left = links.stream().mapToDouble(Link::capacityBps).toArray();
        for (int c = 0; c < n; c++) {
            fixed[c] = !active[c];
        }
        while (true) {
            int[] sharing = new int[links.size()];
            for (int c = 0; c < n; c++) {
                if (!fixed[c]) {
                    for (int l : routes.get(c).links) {
                        sharing[l]++;
                    }
                }
            }
            int tightest = -1;
            double share = Double.POSITIVE_INFINITY;
            for (int l = 0; l < links.size(); l++) {
                if (sharing[l] > 0 && left[l] / sharing[l] < share) {
                    share = left[l] / sharing[l];
                    tightest = l;
                }
            }
            if (tightest < 0) {
                return rate;
            }
            for (int c = 0; c < n; c++) {
                if (!fixed[c] && contains(routes.get(c).links, tightest)) {
                    fixed[c] = true;
                    rate[c] = share;
                    for (int l : routes.get(c).links) {
                        left[l] = Math.max(0, left[l] - share);
                    }
                }
            }
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyActive(boolean[] active) {
        for (boolean a : active) {
            if (a) {
                return true;
            }
        }
        return false;
    }
}
