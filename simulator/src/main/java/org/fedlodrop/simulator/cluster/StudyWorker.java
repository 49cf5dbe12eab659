package org.fedlodrop.simulator.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.fedlodrop.simulator.actors.RunProgress;
import org.fedlodrop.simulator.run.ScenarioRun;
import org.fedlodrop.simulator.scenario.LoadedScenario;
import org.fedlodrop.simulator.scenario.ScenarioLoader;
import org.fedlodrop.simulator.study.StudyRunner;

/**
 * One slot of a cluster member that runs study points: it registers with the receptionist, runs the
 * resolved scenario it is sent into a scratch directory (on a pool, off the actor), sends every file
 * of the run directory back to the coordinator in frame-sized chunks, and asks for more. Files travel
 * rather than a shared disk being assumed, so members need only the data files a scenario names.
 */
public final class StudyWorker extends AbstractBehavior<StudyWorker.Command> {
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "fedlodrop-study-worker");

    public sealed interface Command permits RunPoint, Ran {
    }

    /**
     * Run one point of a study.
     *
     * @param attempt      the coordinator's count for this run, echoed so that it can tell stale replies
     * @param scenarioYaml the resolved scenario, every default filled and every path absolute
     */
    public record RunPoint(int point, long seed, int attempt, String source, String scenarioYaml,
                           ActorRef<StudyCoordinator.Command> replyTo) implements Command, ClusterSerializable {
    }

    private record Ran(RunPoint task, Path directory, Throwable failure) implements Command {
    }

    private final Executor pool;

    private StudyWorker(ActorContext<Command> context, Executor pool) {
        super(context);
        this.pool = pool;
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    }

    /** @param pool where runs execute: they block for as long as the simulation takes */
    public static Behavior<Command> create(Executor pool) {
        return Behaviors.setup(context -> new StudyWorker(context, pool));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RunPoint.class, this::onRunPoint)
                .onMessage(Ran.class, this::onRan)
                .build();
    }

    private Behavior<Command> onRunPoint(RunPoint task) {
        CompletableFuture<Path> run = CompletableFuture.supplyAsync(() -> {
            try {
                LoadedScenario loaded = ScenarioLoader.parse(task.source(),
                        task.scenarioYaml().getBytes(StandardCharsets.UTF_8), List.of());
                Path directory = Files.createTempDirectory("fedlodrop-worker-");
                ScenarioRun.execute(loaded, directory, 1, RunProgress.NONE);
                return directory;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, pool);
        getContext().pipeToSelf(run, (directory, failure) -> new Ran(task, directory, failure));
        return this;
    }

    private Behavior<Command> onRan(Ran ran) {
        RunPoint task = ran.task();
        ActorRef<StudyCoordinator.Command> coordinator = task.replyTo();
        if (ran.failure() != null) {
            Throwable cause = ran.failure().getCause() != null ? ran.failure().getCause() : ran.failure();
            coordinator.tell(new StudyCoordinator.RunFailed(task.point(), task.seed(), task.attempt(),
                    String.valueOf(cause.getMessage()), getContext().getSelf()));
            return this;
        }
        try {
            // Message order between two actors is kept, so the files arrive before RunDone.
            for (Path file : files(ran.directory())) {
                String name = ran.directory().relativize(file).toString().replace('\\', '/');
                List<byte[]> chunks = ClusterNode.chunks(Files.readAllBytes(file));
                for (int i = 0; i < chunks.size(); i++) {
                    coordinator.tell(new StudyCoordinator.FileChunk(task.point(), task.seed(), task.attempt(), name,
                            i == 0, chunks.get(i)));
                }
            }
            coordinator.tell(new StudyCoordinator.RunDone(task.point(), task.seed(), task.attempt(), getContext().getSelf()));
        } catch (IOException e) {
            coordinator.tell(new StudyCoordinator.RunFailed(task.point(), task.seed(), task.attempt(),
                    "cannot read the run's files on " + getContext().getSystem().address() + ": " + e.getMessage(),
                    getContext().getSelf()));
        } finally {
            try {
                org.fedlodrop.reports.io.DirectoryTrees.delete(ran.directory());
            } catch (IOException e) {
                // A scratch directory left behind loses nothing.
            }
        }
        return this;
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
