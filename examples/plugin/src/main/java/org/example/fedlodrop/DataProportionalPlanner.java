package org.example.fedlodrop;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.api.planning.CellPlan;
import org.fedlodrop.api.planning.CellPlanner;
import org.fedlodrop.api.planning.CellRound;
import org.fedlodrop.api.planning.PlannerContext;
import org.fedlodrop.api.planning.PlannerExtension;

/**
 * {@code planner.solver: data-proportional}: every device at the same dropout rate γ, the cell's band shared
 * in proportion to the devices' data D_k, and each device at the least-energy power and frequency that meet
 * the deadline with its share (full power and frequency where none does: the run then shows it missing).
 */
public final class DataProportionalPlanner implements PlannerExtension<DataProportionalPlanner.Settings> {
    /** {@code planner.settings}: the dropout rate every device trains at. */
    public record Settings(double gamma) {
    }

    @Override
    public String type() {
        return "data-proportional";
    }

    @Override
    public String summary() {
        return "a fixed γ for every device, bandwidth in proportion to the devices' data";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings(0.3);
    }

    @Override
    public List<SettingProblem> check(Settings settings) {
        if (!(settings.gamma() >= 0 && settings.gamma() < 1)) {
            return List.of(new SettingProblem("gamma", "expected a dropout rate in [0, 1), got " + settings.gamma()));
        }
        return List.of();
    }

    @Override
    public CellPlanner build(Settings settings, PlannerContext context) {
        return round -> plan(round, settings.gamma());
    }

    static CellPlan plan(CellRound round, double gamma) {
        double data = 0;
        for (CellRound.Device device : round.devices()) {
            data += device.samples();
        }
        List<CellPlan.Decision> decisions = new ArrayList<>();
        for (CellRound.Device device : round.devices()) {
            double band = round.bandwidthHz() * device.samples() / data;
            CellRound.Operation operation = device.leastEnergy(gamma, band);
            decisions.add(operation != null
                    ? new CellPlan.Decision(gamma, band, operation.powerW(), operation.frequencyHz())
                    : new CellPlan.Decision(gamma, band, device.maxPowerW(), device.maxFrequencyHz()));
        }
        return new CellPlan(decisions);
    }
}
