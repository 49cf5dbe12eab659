package org.fedlodrop.simulator.scenario;

/**
 * A real corpus to learn on ({@code data.source}), fetched once with {@code fedlodrop data fetch
 * NAME} into the cache; {@code none}: the files named by {@code data.train_file} and {@code data.test_file}.
 */
public enum DataSource {
    NONE,
    /** The SpamAssassin public mail corpus: spam against ham, mailboxes as groups. */
    SPAM_ASSASSIN,
    /** State of the Union passages: Democratic against Republican, presidents as groups. */
    SOTU_PARTY
}
