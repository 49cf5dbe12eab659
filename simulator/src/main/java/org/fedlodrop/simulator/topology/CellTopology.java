package org.fedlodrop.simulator.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.simulator.scenario.Scenario;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;

/**
 * The network as a JGraphT graph: sites as vertices, radio links as edges weighted by distance.
 * One cell for now: a base station at the origin and its devices around it.
 */
public final class CellTopology {
    private final Graph<Site, DefaultWeightedEdge> graph;
    private final Site.BaseStationSite baseStation;
    private final List<Site.DeviceSite> devices;

    private CellTopology(Graph<Site, DefaultWeightedEdge> graph, Site.BaseStationSite baseStation,
                         List<Site.DeviceSite> devices) {
        this.graph = graph;
        this.baseStation = baseStation;
        this.devices = List.copyOf(devices);
    }

    /**
     * Places {@code devices.count} devices uniformly over the annulus between the minimum distance
     * and the cell radius: the radius is drawn as √U over the squared bounds so that density is
     * uniform in area.
     */
    public static CellTopology uniformDisc(Scenario scenario, RandomGenerator random) {
        double inner = scenario.topology().minDistanceM();
        double outer = scenario.topology().cellRadiusM();
        Site.BaseStationSite bs = new Site.BaseStationSite(0, 0, 0);
        List<Site.DeviceSite> placed = new ArrayList<>();
        for (int k = 0; k < scenario.devices().count(); k++) {
            double radius = Math.sqrt(inner * inner + random.nextDouble() * (outer * outer - inner * inner));
            double angle = 2 * Math.PI * random.nextDouble();
            placed.add(new Site.DeviceSite(k, radius * Math.cos(angle), radius * Math.sin(angle)));
        }
        return of(bs, placed);
    }

    public static CellTopology of(Site.BaseStationSite bs, List<Site.DeviceSite> devices) {
        Graph<Site, DefaultWeightedEdge> graph = GraphTypeBuilder.<Site, DefaultWeightedEdge>undirected()
                .weighted(true).allowingMultipleEdges(false).allowingSelfLoops(false)
                .edgeClass(DefaultWeightedEdge.class).buildGraph();
        graph.addVertex(bs);
        for (Site.DeviceSite device : devices) {
            graph.addVertex(device);
            Graphs.addEdge(graph, bs, device, bs.distanceTo(device));
        }
        return new CellTopology(graph, bs, devices);
    }

    public Graph<Site, DefaultWeightedEdge> graph() {
        return graph;
    }

    public List<Site.DeviceSite> devices() {
        return devices;
    }

    /** Distance of device k from its base station: the weight of their link. */
    public double distanceM(int device) {
        return graph.getEdgeWeight(graph.getEdge(baseStation, devices.get(device)));
    }

    /** Distances of all devices, by index. */
    public double[] distancesM() {
        double[] distances = new double[devices.size()];
        for (int k = 0; k < distances.length; k++) {
            distances[k] = distanceM(k);
        }
        return distances;
    }

}
