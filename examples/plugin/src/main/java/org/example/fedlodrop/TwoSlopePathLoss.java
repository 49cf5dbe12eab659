package org.example.fedlodrop;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.api.channel.PathLoss;
import org.fedlodrop.api.channel.PathLossExtension;
import org.fedlodrop.api.channel.RadioSite;

/**
 * {@code channel.path_loss: two-slope}: the dual-slope model (Feuerstein et al., 1994), exponent n1 up to the
 * breakpoint d_bp and n2 beyond it:
 * PL(d) = PL_0 + 10 n1 log10(d / d_0) for d ≤ d_bp, and PL_0 + 10 n1 log10(d_bp / d_0) + 10 n2 log10(d / d_bp) beyond.
 */
public final class TwoSlopePathLoss implements PathLossExtension<TwoSlopePathLoss.Settings> {
    /** {@code channel.path_loss_settings}. */
    public record Settings(double pl0Db, double referenceDistanceM, double breakpointM, double nearExponent,
                           double farExponent) {
    }

    @Override
    public String type() {
        return "two-slope";
    }

    @Override
    public String summary() {
        return "dual-slope path loss: exponent near_exponent up to breakpoint_m, far_exponent beyond";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings(40, 1, 100, 2, 4);
    }

    @Override
    public List<SettingProblem> check(Settings s) {
        List<SettingProblem> problems = new ArrayList<>();
        if (!(s.referenceDistanceM() > 0)) {
            problems.add(new SettingProblem("reference_distance_m", "expected a distance > 0 m, got " + s.referenceDistanceM()));
        }
        if (!(s.breakpointM() > s.referenceDistanceM())) {
            problems.add(new SettingProblem("breakpoint_m", "expected more than reference_distance_m ("
                    + s.referenceDistanceM() + "), got " + s.breakpointM()));
        }
        if (!(s.nearExponent() >= 1 && s.nearExponent() <= 10)) {
            problems.add(new SettingProblem("near_exponent", "expected an exponent in [1, 10], got " + s.nearExponent()));
        }
        if (!(s.farExponent() >= 1 && s.farExponent() <= 10)) {
            problems.add(new SettingProblem("far_exponent", "expected an exponent in [1, 10], got " + s.farExponent()));
        }
        return problems;
    }

    @Override
    public PathLoss build(Settings s, RadioSite site) {
        return (distanceM, lineOfSight) -> lossDb(s, distanceM);
    }

    static double lossDb(Settings s, double distanceM) {
        if (distanceM <= s.breakpointM()) {
            return s.pl0Db() + 10 * s.nearExponent() * Math.log10(distanceM / s.referenceDistanceM());
        }
        return s.pl0Db() + 10 * s.nearExponent() * Math.log10(s.breakpointM() / s.referenceDistanceM())
                + 10 * s.farExponent() * Math.log10(distanceM / s.breakpointM());
    }
}
