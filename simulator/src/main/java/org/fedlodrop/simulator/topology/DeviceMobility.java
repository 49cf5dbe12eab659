package org.fedlodrop.simulator.topology;

import java.util.random.RandomGenerator;
import org.fedlodrop.simulator.scenario.Scenario;

/**
 * The motion of one device inside its serving cell (docs/wireless.md, "Mobility"): random waypoint
 * (uniform waypoints over the cell's annulus, constant speed, a pause at each) or constant velocity
 * (a random heading, reflected at the cell edge). Owned and advanced by the channel actor alone.
 */
public final class DeviceMobility {
    private final Scenario.Mobility settings;
    private final double cellX;
    private final double cellY;
    private final double innerM;
    private final double outerM;
    private final RandomGenerator random;
    private double x;
    private double y;
    private double targetX;
    private double targetY;
    private double pauseLeftS;
    private double headingX;
    private double headingY;

    public DeviceMobility(Scenario scenario, double cellX, double cellY, double x, double y, RandomGenerator random) {
        this.settings = scenario.mobility();
        this.cellX = cellX;
        this.cellY = cellY;
        this.innerM = scenario.topology().minDistanceM();
        this.outerM = scenario.topology().cellRadiusM();
        this.random = random;
        this.x = x;
        this.y = y;
        switch (settings.model()) {
            case RANDOM_WAYPOINT -> newWaypoint();
            case CONSTANT_VELOCITY -> {
                double angle = 2 * Math.PI * random.nextDouble();
                headingX = Math.cos(angle);
                headingY = Math.sin(angle);
            }
            case NONE -> {
            }
        }
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    /** Moves for {@code seconds}; returns the distance travelled along the path. */
    public double advance(double seconds) {
        return switch (settings.model()) {
            case RANDOM_WAYPOINT -> waypoints(seconds);
            case CONSTANT_VELOCITY -> straight(seconds);
            case NONE -> 0;
        };
    }

    private double waypoints(double seconds) {
        double left = seconds;
        double travelled = 0;
        while (left > 0 && settings.speedMps() > 0) {
            if (pauseLeftS > 0) {
                double pause = Math.min(pauseLeftS, left);
                pauseLeftS -= pause;
                left -= pause;
                continue;
            }
            double distance = Math.hypot(targetX - x, targetY - y);
            double reach = settings.speedMps() * left;
            if (reach < distance) {
                x += (targetX - x) * reach / distance;
                y += (targetY - y) * reach / distance;
                return travelled + reach;
            }
            x = targetX;
            y = targetY;
            travelled += distance;
            left -= distance / settings.speedMps();
            pauseLeftS = settings.pauseS();
            newWaypoint();
        }
        return travelled;
    }

    private void newWaypoint() {
        double radius = Math.sqrt(innerM * innerM + random.nextDouble() * (outerM * outerM - innerM * innerM));
        double angle = 2 * Math.PI * random.nextDouble();
        targetX = cellX + radius * Math.cos(angle);
        targetY = cellY + radius * Math.sin(angle);
    }

    /** Sub-steps of at most a twentieth of the radius, reflecting the heading off the cell edge. */
    private double straight(double seconds) {
        double total = settings.speedMps() * seconds;
        double step = outerM / 20;
        double done = 0;
        while (done < total) {
            double move = Math.min(step, total - done);
            x += headingX * move;
            y += headingY * move;
            done += move;
            double dx = x - cellX;
            double dy = y - cellY;
            double r = Math.hypot(dx, dy);
            if (r > outerM) {
                double nx = dx / r;
                double ny = dy / r;
                double dot = headingX * nx + headingY * ny;
                headingX -= 2 * dot * nx;
                headingY -= 2 * dot * ny;
                x = cellX + nx * (2 * outerM - r);
                y = cellY + ny * (2 * outerM - r);
            }
        }
        return total;
    }
}
