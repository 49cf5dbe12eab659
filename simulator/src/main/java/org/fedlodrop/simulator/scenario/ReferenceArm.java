package org.fedlodrop.simulator.scenario;

/**
 * What a learning run trains ({@code training.arm}): FedLoDrop's federated rounds, or one of the reference
 * points a federated-learning paper reports beside them, on the same devices' data and test set
 * (docs/models.md, "Reference arms"). The frozen model with only its head trained is
 * {@code training.train_lora: false} under any arm.
 */
public enum ReferenceArm {
    /** The simulated federated rounds: planner, radio, dropout and aggregation. */
    FEDERATED,
    /**
     * The union of the devices' training data trained in one place, with no radio and no dropout, for the same
     * number of passes over every sample (rounds × local epochs); the upper line.
     */
    CENTRALISED,
    /** TF-IDF word features and logistic regression on the union of the devices' training texts (Tribuo). */
    BAG_OF_WORDS
}
