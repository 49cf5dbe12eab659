package org.example.fedlodrop;

import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.api.channel.Fading;
import org.fedlodrop.api.channel.FadingExtension;

/**
 * {@code channel.fading: empirical}: a measured fading model, each coherence block's |h|² drawn uniformly from
 * the measured power gains in {@code channel.fading_settings.powers}, scaled to mean 1 so that path loss and
 * shadowing stay the link's mean gain.
 */
public final class EmpiricalFading implements FadingExtension<EmpiricalFading.Settings> {
    /** The measured |h|², in linear units (any scale). */
    public record Settings(List<Double> powers) {
    }

    @Override
    public String type() {
        return "empirical";
    }

    @Override
    public String summary() {
        return "|h|² drawn from measured power gains (fading_settings.powers), scaled to mean 1";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings(List.of(0.1, 0.4, 0.8, 1.0, 1.3, 2.4));
    }

    @Override
    public List<SettingProblem> check(Settings settings) {
        if (settings.powers().isEmpty()) {
            return List.of(new SettingProblem("powers", "expected at least one measured power gain"));
        }
        for (double power : settings.powers()) {
            if (!(power >= 0 && Double.isFinite(power))) {
                return List.of(new SettingProblem("powers", "expected power gains >= 0, got " + power));
            }
        }
        if (settings.powers().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            return List.of(new SettingProblem("powers", "expected some power gain above 0"));
        }
        return List.of();
    }

    @Override
    public Fading build(Settings settings) {
        double[] powers = settings.powers().stream().mapToDouble(Double::doubleValue).toArray();
        double mean = java.util.Arrays.stream(powers).average().orElseThrow();
        return (RandomGenerator random) -> powers[random.nextInt(powers.length)] / mean;
    }
}
