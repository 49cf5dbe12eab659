package org.fedlodrop.simulator.actors;

import org.fedlodrop.simulator.kernel.Clock;

import org.fedlodrop.simulator.setup.RunSetup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.fedlodrop.reports.records.RunSummary;
import org.fedlodrop.simulator.planning.RoundPlanner;

/** Runs one scenario to the end on its own actor system and returns what it recorded. */
public final class Simulation {
    private Simulation() {
    }

    /** What a finished run reports besides its files. */
    public record Outcome(RunSummary summary, long steps, long events, CheckpointCost checkpoints) {
        public Outcome(RunSummary summary, long steps, long events) {
            this(summary, steps, events, CheckpointCost.NONE);
        }
    }

    /**
     * The actor system a run lives in and where its devices go: by default a private system of its
     * own with every device local; a cluster member's system with devices sharded over members.
     */
    public record Host(String systemName, Config config, DevicePlacement devices, Clock.Synchronisation synchronisation) {
        public Host(String systemName, Config config, DevicePlacement devices) {
            this(systemName, config, devices, Clock.Synchronisation.WINDOWS);
        }

        public static Host local(int threads) {
            return new Host("fedlodrop", Simulation.config(threads), DevicePlacement.LOCAL);
        }

        /** The same host with the clock synchronising the run as given (the files do not depend on it). */
        public Host with(Clock.Synchronisation how) {
            return new Host(systemName, config, devices, how);
        }
    }

    /** The run could not complete (an actor failed, or the files could not be written). */
    public static final class RunFailedException extends Exception {
        public RunFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param directory an existing, empty run directory for the record files
     * @param threads   threads of the actors' dispatcher; results do not depend on it
     */
    public static Outcome run(RunSetup setup, RoundPlanner planner, Path directory, int threads, RunProgress progress)
            throws RunFailedException, InterruptedException {
        return run(setup, planner, directory, threads, progress, Clock.Trace.NONE);
    }

    /** As {@link #run(RunSetup, RoundPlanner, Path, int, RunProgress)}, with the clock's queue operations traced. */
    public static Outcome run(RunSetup setup, RoundPlanner planner, Path directory, int threads, RunProgress progress,
                              Clock.Trace trace) throws RunFailedException, InterruptedException {
        return run(setup, planner, directory, threads, progress, trace, Host.local(threads));
    }

    /** As above, in the given host's actor system. */
    public static Outcome run(RunSetup setup, RoundPlanner planner, Path directory, int threads, RunProgress progress,
                              Clock.Trace trace, Host host) throws RunFailedException, InterruptedException {
        CompletableFuture<SimulationGuardian.Result> result = new CompletableFuture<>();
        // Local training runs here, off the actors; its results do not depend on which thread ran it,
        // nor (with ND4J's operations on one thread each) on how many cores the machine has.
        if (setup.learning().isPresent()) {
            org.fedlodrop.models.net.OperationThreads.pinToOne();
        }
        ExecutorService trainingPool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "fedlodrop-training");
            thread.setDaemon(true);
            return thread;
        });
        ActorSystem<SimulationGuardian.Command> system = ActorSystem.create(
                SimulationGuardian.create(setup, planner, directory, progress, trace, trainingPool, host, result),
                host.systemName(), host.config());
        // Should the actor system stop for any reason before the run completes, nobody waits forever.
        system.getWhenTerminated().whenComplete((done, error) -> result.complete(
                new SimulationGuardian.Aborted("the actor system stopped before the run completed", error)));
        try {
            SimulationGuardian.Result ended = result.get();
            if (ended instanceof SimulationGuardian.Completed completed) {
                return new Outcome(completed.summary(), completed.clock().steps(), completed.clock().events(),
                        completed.checkpoints());
            }
            SimulationGuardian.Aborted aborted = (SimulationGuardian.Aborted) ended;
            throw new RunFailedException(aborted.reason(), aborted.cause());
        } catch (ExecutionException e) {
            throw new RunFailedException("the run failed: " + e.getCause(), e.getCause());
        } finally {
            trainingPool.shutdownNow();
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // The results are complete; a slow shutdown loses nothing.
            }
        }
    }

    /** A run's actor system: {@code threads} dispatcher threads, quiet logging. */
    public static Config config(int threads) {
        return ConfigFactory.parseString(String.join("\n",
                        "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = " + threads,
                        "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = " + threads,
                        "pekko.actor.default-dispatcher.fork-join-executor.parallelism-factor = 1.0"))
                .withFallback(quiet());
    }

    /**
     * What every actor system of fedlodrop sets: Pekko logs warnings through SLF4J only, no dead-letter
     * chatter, and no JVM shutdown hooks (the command line decides when the process ends). Stopping a
     * million device actors takes longer than Pekko's default 10 s for the system's termination, which then
     * warned at the end of every such run: it may take five minutes.
     */
    public static Config quiet() {
        return ConfigFactory.parseString(String.join("\n",
                        "pekko.loglevel = WARNING",
                        "pekko.stdout-loglevel = OFF",
                        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                        "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                        "pekko.log-dead-letters = off",
                        "pekko.log-dead-letters-during-shutdown = off",
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                        "pekko.jvm-shutdown-hooks = off",
                        "pekko.coordinated-shutdown.phases.actor-system-terminate.timeout = 300 s"))
                .withFallback(ConfigFactory.load());
    }
}
