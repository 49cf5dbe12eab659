package org.fedlodrop.models.family.bert;

/** How the bert family takes a sentence from its last hidden states ({@code model.pooling}). */
public enum SentencePooling {
    /** The mean over the real tokens, as sentence-transformers trained all-MiniLM-L6-v2. */
    MEAN,
    /** The [CLS] token's state. */
    CLS
}
