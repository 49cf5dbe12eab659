package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedlodrop.simulator.bench.CheckpointBench;
import org.fedlodrop.simulator.bench.EndToEndBench;
import org.fedlodrop.simulator.run.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = {"What checkpoints cost learning runs at the default interval (output.checkpoint_every = 5), and",
                "the resident size of long runs every few rounds (issue 29). Whole runs in fresh JVMs started as",
                "this one: the scenarios' own settings, checkpoints off and on alternated. 'paused' is the share",
                "of the run's wall time it paused for checkpoints, 'writing' the share their own thread spent",
                "writing them beside the run (both from the run's manifest)."})
final class CheckpointBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs of each case with checkpoints off and on (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--every", defaultValue = "5", description = "Checkpoint interval of the 'on' runs (default ${DEFAULT-VALUE}, the scenarios' default).")
    int every;

    @Option(names = "--no-mail", description = "Skip the resident-size trace of the 20-round MiniLM mail run (some 8 minutes).")
    boolean noMail;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || repeats > 20 || every < 1) {
            throw new UserInputException("--repeats: expected 1 to 20; --every: expected at least 1");
        }
        Optional<Path> home = EndToEndBench.home();
        if (home.isEmpty()) {
            throw new UserInputException("bench checkpoint runs the scenarios of the installation: start it with the"
                    + " fedlodrop launcher");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("bench checkpoint: %d processors, OPENBLAS_CORETYPE=%s%n", Runtime.getRuntime().availableProcessors(),
                Optional.ofNullable(System.getenv("OPENBLAS_CORETYPE")).orElse("(unset)"));
        out.println();
        out.printf("Checkpoint cost, every %d rounds (medians of %d runs each, off and on alternated)%n", every, repeats);
        out.printf("%-36s %10s %10s %8s %8s %8s%n", "case", "off wall s", "on wall s", "written", "paused", "writing");
        List<EndToEndBench.Case> cases = List.of(
                new EndToEndBench.Case("scenarios/synthetic.yaml (20 rounds)", "scenarios/synthetic.yaml", List.of()),
                new EndToEndBench.Case("scenarios/text.yaml (15 rounds)", "scenarios/text.yaml", List.of()));
        for (EndToEndBench.Case run : cases) {
            List<Double> off = new ArrayList<>();
            List<CheckpointBench.Timed> on = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                CheckpointBench.Timed without = CheckpointBench.time(home.get(), run, 0);
                CheckpointBench.Timed with = CheckpointBench.time(home.get(), run, every);
                if (without.exitCode() != 0 || with.exitCode() != 0) {
                    out.printf("%-36s failed (exit %d / %d)%n", run.label(), without.exitCode(), with.exitCode());
                    return FedLoDrop.EXIT_INTERNAL;
                }
                off.add(without.wallS());
                on.add(with);
            }
            out.printf("%-36s %10.2f %10.2f %8d %7.2f%% %7.2f%%%n", run.label(), median(off),
                    median(on.stream().map(CheckpointBench.Timed::wallS).toList()), on.get(0).checkpoints(),
                    100 * median(on.stream().map(CheckpointBench.Timed::pausedShare).toList()),
                    100 * median(on.stream().map(CheckpointBench.Timed::writingShare).toList()));
            out.flush();
        }
        out.println();
        out.println("Resident size (VmRSS) as rounds finish. With the default heap (a quarter of the memory) the JVM");
        out.println("grows its heap rather than collect; with a bounded heap a leak would end the run or keep growing.");
        out.printf("%-44s %-10s %6s %12s%n", "case", "heap", "round", "resident MB");
        List<Object[]> traces = new ArrayList<>();
        EndToEndBench.Case synthetic = new EndToEndBench.Case("scenarios/synthetic.yaml, 100 rounds",
                "scenarios/synthetic.yaml", List.of("rounds=100"));
        traces.add(new Object[] {synthetic, 10, List.of()});
        traces.add(new Object[] {synthetic, 10, List.of("-Xmx160m")});
        if (!noMail) {
            traces.add(new Object[] {new EndToEndBench.Case("scenarios/spam.yaml (MiniLM), 20 rounds", "scenarios/spam.yaml",
                    List.of("rounds=20")), 2, List.of("-Xmx2g")});
        }
        for (Object[] trace : traces) {
            EndToEndBench.Case run = (EndToEndBench.Case) trace[0];
            @SuppressWarnings("unchecked")
            List<String> options = (List<String>) trace[2];
            String heap = options.isEmpty() ? "default" : options.get(0).substring(4);
            CheckpointBench.Trace traced = CheckpointBench.trace(home.get(), run, (int) trace[1], options, sample -> {
                out.printf("%-44s %-10s %6d %12.0f%n", run.label(), heap, sample.round(), sample.bytes() / 1e6);
                out.flush();
            });
            CheckpointBench.Timed timed = traced.run();
            out.printf("%-44s %-10s %s%n", run.label(), heap, String.format(java.util.Locale.ROOT,
                    "wall %.1f s; %d checkpoints: paused %.2f%%, writing %.2f%% of the wall time", timed.wallS(),
                    timed.checkpoints(), 100 * timed.pausedShare(), 100 * timed.writingShare()));
        }
        return FedLoDrop.EXIT_OK;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
