package org.fedlodrop.models.family.transformer;

import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;

/**
 * A transformer projection that carries LoRA ({@code model.adapted} of the transformer and bert families),
 * spelled in scenarios as its name in lower case: query, key, value, output, ff-in, ff-out.
 */
public enum AdaptedProjection {
    QUERY(Projection.QUERY),
    KEY(Projection.KEY),
    VALUE(Projection.VALUE),
    OUTPUT(Projection.OUTPUT),
    FF_IN(Projection.FEED_FORWARD_IN),
    FF_OUT(Projection.FEED_FORWARD_OUT);

    private final Projection projection;

    AdaptedProjection(Projection projection) {
        this.projection = projection;
    }

    public Projection projection() {
        return projection;
    }

    /** The set a classifier adapts: each projection once, in its own order. */
    public static java.util.EnumSet<Projection> of(java.util.List<AdaptedProjection> adapted) {
        java.util.EnumSet<Projection> set = java.util.EnumSet.noneOf(Projection.class);
        adapted.forEach(p -> set.add(p.projection()));
        return set;
    }

    /** Range checks shared by the families that adapt projections. */
    public static void check(org.fedlodrop.api.SettingChecks c, java.util.List<AdaptedProjection> adapted) {
        if (adapted.isEmpty()) {
            c.fail("adapted", "expected at least one projection to carry LoRA (query, key, value, output, ff-in, ff-out)");
        } else if (new java.util.HashSet<>(adapted).size() != adapted.size()) {
            c.fail("adapted", "expected each projection at most once, got " + adapted.stream()
                    .map(p -> p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
        }
    }
}
