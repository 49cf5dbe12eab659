package org.fedlodrop.simulator.topology;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.simulator.scenario.Association;
import org.fedlodrop.simulator.scenario.Scenario;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;

/**
 * The network as a JGraphT graph: base stations and devices as vertices, each device linked to its
 * serving cell by an edge weighted with their distance. Positions are those at the start of the run.
 */
public final class CellTopology {
    private final Graph<Site, DefaultWeightedEdge> graph;
    private final List<Site.BaseStationSite> cells;
    private final List<Site.DeviceSite> devices;
    private final int[] serving;
    private final int[][] members;

    private CellTopology(Graph<Site, DefaultWeightedEdge> graph, List<Site.BaseStationSite> cells,
                         List<Site.DeviceSite> devices, int[] serving) {
        this.graph = graph;
        this.cells = List.copyOf(cells);
        this.devices = List.copyOf(devices);
        this.serving = serving.clone();
        this.members = new int[cells.size()][];
        for (int c = 0; c < cells.size(); c++) {
            int cell = c;
            members[c] = java.util.stream.IntStream.range(0, serving.length).filter(k -> serving[k] == cell).toArray();
        }
    }

    /**
     * Associates every device with a cell and builds the graph.
     *
     * @param linkScoreDb for {@code strongest}: the mean gain in dB of every link, [cell][device]
     */
    public static CellTopology build(Scenario scenario, double[] x, double[] y, double[][] linkScoreDb) {
        List<Site.BaseStationSite> cells = new ArrayList<>();
        for (int c = 0; c < scenario.topology().cells().size(); c++) {
            Scenario.Cell cell = scenario.topology().cells().get(c);
            cells.add(new Site.BaseStationSite(c, cell.xM(), cell.yM()));
        }
        List<Site.DeviceSite> devices = new ArrayList<>();
        int[] serving = new int[x.length];
        for (int k = 0; k < x.length; k++) {
            Site.DeviceSite device = new Site.DeviceSite(k, x[k], y[k]);
            devices.add(device);
            serving[k] = associate(scenario.topology().association(), cells, device, linkScoreDb, k);
        }
        Graph<Site, DefaultWeightedEdge> graph = GraphTypeBuilder.<Site, DefaultWeightedEdge>undirected()
                .weighted(true).allowingMultipleEdges(false).allowingSelfLoops(false)
                .edgeClass(DefaultWeightedEdge.class).buildGraph();
        cells.forEach(graph::addVertex);
        for (Site.DeviceSite device : devices) {
            graph.addVertex(device);
            Site.BaseStationSite cell = cells.get(serving[device.device()]);
            Graphs.addEdge(graph, cell, device, cell.distanceTo(device));
        }
        return new CellTopology(graph, cells, devices, serving);
    }

    private static int associate(Association rule, List<Site.BaseStationSite> cells, Site.DeviceSite device,
                                 double[][] linkScoreDb, int k) {
        int best = 0;
        for (int c = 1; c < cells.size(); c++) {
            boolean better = switch (rule) {
                case NEAREST -> cells.get(c).distanceTo(device) < cells.get(best).distanceTo(device);
                case STRONGEST -> linkScoreDb[c][k] > linkScoreDb[best][k];
            };
            if (better) {
                best = c;
            }
        }
        return best;
    }


    public List<Site.BaseStationSite> cells() {
        return cells;
    }

    public List<Site.DeviceSite> devices() {
        return devices;
    }

    public int servingCell(int device) {
        return serving[device];
    }

    /** Devices served by a cell, by index. */
    public int[] devicesOf(int cell) {
        return members[cell].clone();
    }

    /** Distance of device k from its serving base station at the start: the weight of their link. */
    public double distanceM(int device) {
        Site.DeviceSite site = devices.get(device);
        return graph.getEdgeWeight(graph.getEdge(cells.get(serving[device]), site));
    }
}
