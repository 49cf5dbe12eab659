package org.fedlodrop.models.corpus;

/** A corpus that cannot be fetched or read: what went wrong, in words for the user. */
public final class CorpusException extends Exception {
    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
