package org.fedlodrop.simulator.learning;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.data.Partitions;
import org.fedlodrop.models.data.TeacherStudent;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.MlpClassifier;
import org.fedlodrop.models.train.LocalTrainer;
import org.fedlodrop.simulator.kernel.RandomStreams;
import org.fedlodrop.simulator.scenario.Scenario;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What learns in a run with a workload: the student model (frozen base with LoRA), its starting
 * adapter, every device's local data, the test set and the training settings. Built once from the
 * scenario and the seed; never changed (the base station keeps the evolving global adapter).
 */
public record LearningTask(MlpClassifier model, Adapter initial, List<Dataset> local, Dataset test,
                           LocalTrainer.Settings training) {

    public static LearningTask of(Scenario scenario, RandomStreams streams) {
        Scenario.Model m = scenario.model();
        Scenario.Data data = scenario.data();
        int[] widths = m.widths().stream().mapToInt(Integer::intValue).toArray();
        TeacherStudent workload = new TeacherStudent(widths, m.classes(), m.teacherRank(), m.teacherPerturbation(),
                data.labelNoise());
        RandomGenerator random = streams.stream("workload", "task");
        TeacherStudent.Task task = workload.build(m.rank(), m.alpha(), m.rsLora(), DataType.FLOAT, random);
        int devices = scenario.devices().count();
        Dataset pool = workload.sample(task, devices * data.samplesPerDevice(), DataType.FLOAT, random);
        Dataset test = workload.sample(task, data.testSamples(), DataType.FLOAT, streams.stream("workload", "test"));
        RandomGenerator split = streams.stream("workload", "partition");
        List<int[]> parts = switch (data.partition()) {
            case IID -> Partitions.iid(pool.size(), devices, split);
            case LABEL_SKEW -> Partitions.labelSkew(pool.labels(), m.classes(), devices, data.dirichletAlpha(), split);
            case QUANTITY_SKEW -> Partitions.quantitySkew(pool.size(), devices, data.dirichletAlpha(), split);
        };
        List<Dataset> local = new ArrayList<>();
        for (int[] part : parts) {
            local.add(pool.select(part));
        }
        Scenario.Training t = scenario.training();
        return new LearningTask(task.student(), task.initial(), local, test,
                new LocalTrainer.Settings(t.localEpochs(), t.batchSize(), t.learningRate(), t.optimizer(), t.weightDecay()));
    }
}
