package org.fedlodrop.simulator.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print a table.",
        subcommands = {KernelBench.class, PlannerBench.class, TrainBench.class, ScaleBench.class,
                CheckpointBenchCommand.class})
final class BenchCommand {
}
