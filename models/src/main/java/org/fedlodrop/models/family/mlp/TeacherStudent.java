package org.fedlodrop.models.family.mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.net.Adapter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code synthetic} workload: a frozen random base network; a teacher that adds a low-rank
 * perturbation to every adapted layer and has its own head; labels are the teacher's argmax, a share
 * of them flipped at random (label noise). With few samples per device, a LoRA student without
 * dropout overfits: the setting in which the paper's trade-off shows.
 *
 * @param widths          layer widths, input first (e.g. 32, 32, 32)
 * @param classes         number of classes
 * @param teacherRank     rank of the teacher's perturbation
 * @param perturbation    its size relative to the base weights
 * @param labelNoise      probability that a label is replaced by a random class
 */
public record TeacherStudent(int[] widths, int classes, int teacherRank, double perturbation, double labelNoise) {

    /** The student's frozen model, its starting adapter, and a labelled sample set. */
    public record Task(MlpClassifier student, Adapter initial, MlpClassifier teacher, Adapter teacherAdapter) {
    }

    public Task build(int rank, double alpha, boolean rankStabilised, DataType dataType, RandomGenerator random) {
        List<LoraLayer> base = new ArrayList<>();
        List<LoraLayer> teacherLayers = new ArrayList<>();
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        List<INDArray> zeroA = new ArrayList<>();
        List<INDArray> zeroB = new ArrayList<>();
        double scale = LoraLayer.scale(alpha, rank, rankStabilised);
        for (int u = 0; u + 1 < widths.length; u++) {
            int in = widths[u];
            int out = widths[u + 1];
            INDArray w0 = gaussian(out, in, 1 / Math.sqrt(in), dataType, random);
            base.add(new LoraLayer(w0, scale));
            INDArray delta = gaussian(out, teacherRank, 1, dataType, random)
                    .mmul(gaussian(teacherRank, in, 1, dataType, random)).muli(perturbation / Math.sqrt(in * teacherRank));
            teacherLayers.add(new LoraLayer(w0.add(delta), 1));
            // LoRA's usual start: A random, B zero, so the adapter starts as the identity change.
            a.add(gaussian(rank, in, 1 / Math.sqrt(in), dataType, random));
            b.add(Nd4j.zeros(dataType, out, rank));
            zeroA.add(Nd4j.zeros(dataType, 1, in));
            zeroB.add(Nd4j.zeros(dataType, out, 1));
        }
        int hidden = widths[widths.length - 1];
        MlpClassifier student = new MlpClassifier(base, classes, dataType);
        MlpClassifier teacher = new MlpClassifier(teacherLayers, classes, dataType);
        Adapter teacherAdapter = new Adapter(zeroA, zeroB, gaussian(classes, hidden, 2 / Math.sqrt(hidden), dataType, random),
                Nd4j.zeros(dataType, 1, classes));
        Adapter initial = new Adapter(a, b, Nd4j.zeros(dataType, classes, hidden), Nd4j.zeros(dataType, 1, classes));
        return new Task(student, initial, teacher, teacherAdapter);
    }

    /**
     * The same task with the teacher's head bias set so that its classes are about equally frequent. A random
     * head over random features favours some classes: at 10 classes a seed may give one class a quarter of the
     * samples and another under 1 %, so "one class per device" would not hold. The bias is fitted on
     * {@code 500 × classes} inputs drawn from {@code random}: each of 200 steps lowers every class's bias by half
     * the log of its share over 1/C (shares floored at 1/(10C)), the rule of iterative proportional fitting on the
     * argmax; the classes' shares then lie within a few points of 1/C (checked in MlpFamilyTest).
     */
    public Task balanced(Task task, DataType dataType, RandomGenerator random) {
        int n = 500 * classes;
        INDArray x = gaussian(n, widths[0], 1, dataType, random);
        List<LoraMask> full = new ArrayList<>();
        for (int u = 0; u + 1 < widths.length; u++) {
            full.add(LoraMask.full(widths[u + 1], widths[u]));
        }
        double[][] logits = task.teacher().logits(task.teacherAdapter(), full, x).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] bias = new double[classes];
        for (int step = 0; step < 200; step++) {
            double[] share = new double[classes];
            for (double[] row : logits) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (row[c] + bias[c] > row[best] + bias[best]) {
                        best = c;
                    }
                }
                share[best] += 1.0 / n;
            }
            for (int c = 0; c < classes; c++) {
                bias[c] -= 0.5 * Math.log(Math.max(share[c], 0.1 / classes) * classes);
            }
        }
        Adapter teacher = task.teacherAdapter();
        Adapter balanced = new Adapter(teacher.a(), teacher.b(), teacher.headWeights(),
                Nd4j.createFromArray(bias).reshape(1, classes).castTo(dataType));
        return new Task(task.student(), task.initial(), task.teacher(), balanced);
    }

    /** n samples x ~ N(0, I) labelled by the teacher, with label noise. */
    public Dataset sample(Task task, int n, DataType dataType, RandomGenerator random) {
        INDArray x = gaussian(n, widths[0], 1, dataType, random);
        List<LoraMask> full = new ArrayList<>();
        for (int u = 0; u + 1 < widths.length; u++) {
            full.add(LoraMask.full(widths[u + 1], widths[u]));
        }
        INDArray predicted = task.teacher().logits(task.teacherAdapter(), full, x).argMax(1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < labelNoise ? random.nextInt(classes) : predicted.getInt(i);
        }
        return new Dataset(x, labels);
    }

    private static INDArray gaussian(int rows, int columns, double sd, DataType dataType, RandomGenerator random) {
        double[] values = new double[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = sd * random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(rows, columns).castTo(dataType);
    }
}
