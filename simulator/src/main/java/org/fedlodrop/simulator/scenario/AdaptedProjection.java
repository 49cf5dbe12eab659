package org.fedlodrop.simulator.scenario;

import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;

/** A transformer projection that carries LoRA ({@code model.adapted}). */
public enum AdaptedProjection implements Labelled {
    QUERY("query", Projection.QUERY),
    KEY("key", Projection.KEY),
    VALUE("value", Projection.VALUE),
    OUTPUT("output", Projection.OUTPUT),
    FEED_FORWARD_IN("ff-in", Projection.FEED_FORWARD_IN),
    FEED_FORWARD_OUT("ff-out", Projection.FEED_FORWARD_OUT);

    private final String label;
    private final Projection projection;

    AdaptedProjection(String label, Projection projection) {
        this.label = label;
        this.projection = projection;
    }

    @Override
    public String label() {
        return label;
    }

    public Projection projection() {
        return projection;
    }
}
