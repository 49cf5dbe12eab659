package org.fedlodrop.simulator.topology;

import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.simulator.scenario.Scenario;

/**
 * Where devices start (docs/wireless.md, "Topology"). Devices are split evenly over the cells
 * (device k goes with cell k mod C) for the placements that are drawn around a cell.
 */
public final class Placements {
    private Placements() {
    }

    /** Positions as {x[], y[]}. */
    public static double[][] place(Scenario scenario, RandomGenerator random) {
        Scenario.Topology topology = scenario.topology();
        int n = scenario.devices().count();
        double[] x = new double[n];
        double[] y = new double[n];
        List<Scenario.Cell> cells = topology.cells();
        double inner = topology.minDistanceM();
        double outer = topology.cellRadiusM();
        switch (topology.placement()) {
            case UNIFORM_DISC -> {
                for (int k = 0; k < n; k++) {
                    Scenario.Cell cell = cells.get(k % cells.size());
                    // √U over the squared bounds: uniform in area over the annulus.
                    double radius = Math.sqrt(inner * inner + random.nextDouble() * (outer * outer - inner * inner));
                    double angle = 2 * Math.PI * random.nextDouble();
                    x[k] = cell.xM() + radius * Math.cos(angle);
                    y[k] = cell.yM() + radius * Math.sin(angle);
                }
            }
            case CLUSTERED -> {
                int clusters = topology.clusters();
                double[] cx = new double[clusters];
                double[] cy = new double[clusters];
                for (int c = 0; c < clusters; c++) {
                    Scenario.Cell cell = cells.get(c % cells.size());
                    double radius = outer * Math.sqrt(random.nextDouble());
                    double angle = 2 * Math.PI * random.nextDouble();
                    cx[c] = cell.xM() + radius * Math.cos(angle);
                    cy[c] = cell.yM() + radius * Math.sin(angle);
                }
                for (int k = 0; k < n; k++) {
                    int c = k % clusters;
                    x[k] = cx[c] + topology.clusterRadiusM() * random.nextGaussian();
                    y[k] = cy[c] + topology.clusterRadiusM() * random.nextGaussian();
                }
            }
            case GRID -> {
                int perCell = (n + cells.size() - 1) / cells.size();
                int side = (int) Math.ceil(Math.sqrt(perCell));
                double spacing = 2 * outer / side;
                for (int k = 0; k < n; k++) {
                    Scenario.Cell cell = cells.get(k % cells.size());
                    int slot = k / cells.size();
                    x[k] = cell.xM() - outer + (slot % side + 0.5) * spacing;
                    y[k] = cell.yM() - outer + (slot / side + 0.5) * spacing;
                }
            }
            case EXPLICIT -> {
                for (int k = 0; k < n; k++) {
                    x[k] = topology.positions().get(k).xM();
                    y[k] = topology.positions().get(k).yM();
                }
            }
        }
        return new double[][] {x, y};
    }
}
