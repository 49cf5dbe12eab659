package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.fedlodrop.reports.study.JournalEntry;
import org.fedlodrop.simulator.cluster.ClusterStudy;
import org.fedlodrop.simulator.cluster.MemberAddress;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.study.RunRounds;
import org.fedlodrop.simulator.study.StudyRunner;
import org.fedlodrop.simulator.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Run a study: a base scenario over sweep axes (grid and zipped lists over any field) and",
                "seeds, in parallel workers; one run directory per point and seed, results.csv with each",
                "metric's mean and 95 %% interval over seeds. A journal lets --resume skip finished runs."})
final class StudyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STUDY", description = "Study file (YAML).")
    Path study;

    @Option(names = "--out", paramLabel = "DIR", description = "Study directory (default: runs/NAME).")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Runs at once (default: the number of processors).")
    Integer workers;

    @picocli.CommandLine.Mixin
    RunThreadsOption threads = new RunThreadsOption();

    @Option(names = "--resume", description = "Continue a study in DIR: skip the runs its journal holds.")
    boolean resume;

    @Option(names = "--cluster", paramLabel = "HOST:PORT",
            description = {"Run on a Pekko Cluster: listen at HOST:PORT as its coordinator, with --workers runs of",
                    "its own (0: coordinate only), and hand runs to `fedlodrop worker --join HOST:PORT` members."})
    String cluster;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @picocli.CommandLine.Mixin
    PluginOption plugins = new PluginOption();

    @picocli.CommandLine.Mixin
    ClusterKeysOption clusterKeys = new ClusterKeysOption();

    @Override
    public Integer call() throws Exception {
        StudySpec studySpec = StudySpec.load(study);
        Path directory = out != null ? out : Path.of("runs", studySpec.name());
        int parallel = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (parallel < (cluster == null ? 1 : 0) || parallel > 256) {
            throw new UserInputException("--workers " + parallel + ": expected " + (cluster == null ? 1 : 0) + " to 256");
        }
        int threadsPerRun = threads.perRun(parallel);
        if (threads.given() && cluster != null) {
            throw new UserInputException("--threads: a cluster's members run each run on one thread; leave --threads"
                    + " out with --cluster");
        }
        MemberAddress coordinator = cluster == null ? null : MemberAddress.parse("--cluster", cluster);
        java.util.Optional<org.fedlodrop.simulator.cluster.ClusterKeys> keys = coordinator == null ? java.util.Optional.empty()
                : clusterKeys.keysFor("--cluster " + coordinator, coordinator);
        if (!resume && Files.exists(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new UserInputException("--out " + directory + ": the directory is not empty; use --resume to "
                            + "continue the study there, or choose a new directory");
                }
            }
        }
        StudyRunner runner = new StudyRunner(studySpec, directory, plugins.load());
        if (coordinator != null) {
            List<String> named = runner.pluginsNamed();
            if (!named.isEmpty()) {
                throw new UserInputException("--cluster: the study names " + String.join(", ", named) + "; cluster members"
                        + " load scenarios with fedlodrop's own extensions only, so plugins run in one process: run the"
                        + " study without --cluster (--workers N runs N points at once)");
            }
        }
        int total = studySpec.points().size() * studySpec.seeds().size();
        PrintWriter err = spec.commandLine().getErr();
        AtomicInteger finished = new AtomicInteger(runner.readJournal().size());
        if (!quiet && finished.get() > 0) {
            err.printf("study %s: %d of %d runs already done%n", studySpec.name(), finished.get(), total);
        }
        // A bar on a terminal, plain lines otherwise.
        me.tongfei.progressbar.ProgressBar bar = !quiet && System.console() != null
                ? new me.tongfei.progressbar.ProgressBarBuilder().setTaskName(studySpec.name()).setInitialMax(total)
                        .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII).setUnit(" runs", 1)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()
                : null;
        if (bar != null) {
            bar.stepTo(finished.get());
        }
        Path results;
        try {
            java.util.function.Consumer<JournalEntry> progress = entry -> {
                int n = finished.incrementAndGet();
                if (bar != null) {
                    bar.stepTo(n);
                } else if (!quiet) {
                    synchronized (err) {
                        err.printf("run %d/%d done: point %d, seed %d%n", n, total, entry.point(), entry.seed());
                        err.flush();
                    }
                }
            };
            if (coordinator == null) {
                RunRounds rounds = quiet ? RunRounds.NONE
                        : bar != null ? (run, rows, round) -> bar.setExtraMessage(run + " round " + (round.round() + 1)
                                + "/" + rows)
                        : new StudyRoundsLog(err, StudyRoundsLog.EVERY, System::nanoTime);
                results = runner.run(parallel, threadsPerRun, progress, resumed -> {
                    if (!quiet) {
                        synchronized (err) {
                            err.printf("resuming %s, the checkpoint an earlier attempt left%n", resumed);
                            err.flush();
                        }
                    }
                }, rounds);
            } else {
                if (!quiet) {
                    err.printf("study %s: coordinating at %s; start workers with: fedlodrop worker --join %s%n",
                            studySpec.name(), coordinator, coordinator);
                    err.flush();
                }
                results = ClusterStudy.run(runner, coordinator, parallel, progress, keys);
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        spec.commandLine().getOut().printf("study %s: %d points × %d seeds; results in %s%n", studySpec.name(),
                studySpec.points().size(), studySpec.seeds().size(), results);
        return FedLoDrop.EXIT_OK;
    }
}
