package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import org.fedlodrop.simulator.run.BuildInfo;
import org.fedlodrop.simulator.run.UserInputException;
import org.fedlodrop.simulator.scenario.FieldProblem;
import org.fedlodrop.simulator.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fedlodrop} command line. Exit codes: 0 success, 2 bad input (scenario, flag, path),
 * 1 internal failure. A user's mistake is reported as located messages, never as a stack trace.
 */
@Command(name = "fedlodrop", mixinStandardHelpOptions = true, versionProvider = FedLoDrop.Version.class,
        description = "Simulates federated LoRA fine-tuning with row/column dropout (FedLoDrop) over a wireless edge network.",
        subcommands = {RunCommand.class, ValidateCommand.class, ExtensionsCommand.class, PlanCommand.class, CalibrateCommand.class, StudyCommand.class, CompareCommand.class, WorkerCommand.class, ClusterKeysCommand.class, TableCommand.class,
                PretrainCommand.class, MakeTextCommand.class, DataCommand.class,
                ViewCommand.class, ReportCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class FedLoDrop {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        org.fedlodrop.models.net.NativeMemory.bound();
        // Start logging before Pekko does, so that its early messages are not queued and replayed with a warning.
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new FedLoDrop());
        // The commands' descriptions are written in lines of up to 110 characters; at picocli's 80 each such
        // line broke in two, leaving a word or two alone on a line.
        commandLine.setUsageHelpWidth(120);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> report(exception, err));
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int report(Exception exception, PrintWriter err) {
        if (exception instanceof ScenarioException scenario) {
            for (FieldProblem problem : scenario.problems()) {
                err.println(problem.format());
            }
            int n = scenario.problems().size();
            err.println(n + (n == 1 ? " problem" : " problems") + " in the scenario; nothing was run.");
            return EXIT_BAD_INPUT;
        }
        if (exception instanceof UserInputException input) {
            err.println("error: " + input.getMessage());
            return EXIT_BAD_INPUT;
        }
        java.util.Optional<org.fedlodrop.simulator.extension.ExtensionFailure> plugin =
                org.fedlodrop.simulator.extension.ExtensionFailure.in(exception);
        if (plugin.isPresent()) {
            // A plugin's mistake, not fedlodrop's: named, exit 2; a run keeps what it wrote and says "failed".
            err.println("error: " + plugin.get().getMessage());
            return EXIT_BAD_INPUT;
        }
        err.println("internal error: " + exception);
        if (System.getenv("FEDLODROP_DEBUG") != null) {
            exception.printStackTrace(err);
        } else {
            err.println("This is a bug in fedlodrop. Set FEDLODROP_DEBUG=1 to see where it happened.");
        }
        return EXIT_INTERNAL;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo build = BuildInfo.current();
            return new String[] {"fedlodrop " + build.version() + " (commit " + build.gitCommit() + ")"};
        }
    }
}
