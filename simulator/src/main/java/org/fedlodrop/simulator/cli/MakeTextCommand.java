package org.fedlodrop.simulator.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.SyntheticReviews;
import org.fedlodrop.reports.io.AtomicFiles;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "make-text", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write synthetic review sentences with sentiment labels as a GLUE SST-2 style TSV",
                "(sentence<TAB>label): text-classification data that needs no download. Same seed, same file."})
final class MakeTextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "TSV file to write; must not exist.")
    Path out;

    @Option(names = "--domain", defaultValue = "movies", description = "movies or restaurants (default ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--samples", defaultValue = "1000", description = "Number of sentences (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--label-noise", defaultValue = "0", description = "Share of labels flipped (default ${DEFAULT-VALUE}).")
    double labelNoise;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!domain.equals("movies") && !domain.equals("restaurants")) {
            throw new UserInputException("--domain " + domain + ": expected movies or restaurants");
        }
        if (samples < 1 || samples > 10_000_000) {
            throw new UserInputException("--samples " + samples + ": expected an integer from 1 to 10000000");
        }
        if (!(labelNoise >= 0 && labelNoise <= 1)) {
            throw new UserInputException("--label-noise " + labelNoise + ": expected a share in [0, 1]");
        }
        if (Files.exists(out)) {
            throw new UserInputException("--out " + out + ": the file exists; choose a new one so nothing is overwritten");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserInputException("--out " + out + ": no such directory " + parent);
        }
        LabelledText text = new SyntheticReviews(domain, labelNoise).generate(samples, new SplittableRandom(seed));
        AtomicFiles.write(out, SyntheticReviews.toTsv(text).getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().printf("wrote %s: %d %s sentences%n", out, samples, domain);
        return FedLoDrop.EXIT_OK;
    }
}
