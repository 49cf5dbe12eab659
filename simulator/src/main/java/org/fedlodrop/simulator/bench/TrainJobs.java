package org.fedlodrop.simulator.bench;

import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.family.bert.PretrainedBert;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.mlp.TeacherStudent;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.lora.LoraMask;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The jobs of {@code fedlodrop bench train}: one device's local training of each workload the bench times, built
 * the same on both sides (train_bench_torch.py builds the same shapes under the same keys).
 */
public final class TrainJobs {
    private TrainJobs() {
    }

    /** The jobs' keys, in table order. */
    public static final List<String> JOB_KEYS = List.of("synthetic", "mlp128", "mlp512", "text", "transformer512", "minilm",
            "minilm128");

    /** One device's training job: what to train, and the FLOPs of one sample's forward and backward. */
    public record Job(String key, String name, String shape, int rank, int batch, Classifier model, Adapter adapter,
                       List<LoraMask> masks, Dataset data, double flopsPerSample) {
    }

    private static Job mlp(String key, String name, int[] widths, int rank, int samples, int batch) {
        SplittableRandom random = new SplittableRandom(1);
        TeacherStudent workload = new TeacherStudent(widths, 4, 4, 3.0, 0.2);
        TeacherStudent.Task task = workload.build(rank, 16, false, DataType.FLOAT, random);
        Dataset data = workload.sample(task, samples, DataType.FLOAT, random);
        return new Job(key, name, "mlp " + java.util.Arrays.toString(widths), rank, batch, task.student(), task.initial(),
                masks(task.student(), random), data, MlpClassifier.trainingFlopsPerSample(widths, rank, 4));
    }

    private static Job transformer(String key, String name, TransformerClassifier.Shape shape, int rank, int samples,
                                   int batch) {
        SplittableRandom random = new SplittableRandom(1);
        TransformerClassifier model = new TransformerClassifier(shape,
                TransformerClassifier.Weights.random(shape, DataType.FLOAT, random),
                EnumSet.of(TransformerClassifier.Projection.QUERY, TransformerClassifier.Projection.VALUE),
                LoraLayer.scale(16, rank, false), DataType.FLOAT);
        double[][] ids = new double[samples][shape.maxLength()];
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            int length = shape.maxLength() / 2 + random.nextInt(shape.maxLength() / 2 + 1);
            for (int j = 0; j < length; j++) {
                ids[i][j] = 1 + random.nextInt(shape.vocabulary() - 1);
            }
            labels[i] = random.nextInt(shape.classes());
        }
        Dataset data = new Dataset(Nd4j.create(ids).castTo(DataType.FLOAT), labels);
        String description = String.format("transformer d=%d, %d blocks, %d heads, ff %d, %d tokens", shape.width(),
                shape.blocks(), shape.heads(), shape.feedForward(), shape.maxLength());
        return new Job(key, name, description, rank, batch, model, model.initialAdapter(rank, random), masks(model, random), data,
                shape.trainingFlopsPerSample());
    }

    /**
     * The built-in all-MiniLM-L6-v2 (its first {@code blocks} blocks) with LoRA on query and value,
     * on random token ids of its vocabulary filling half to all of {@code maxLength}.
     */
    private static Job miniLm(String key, String name, int blocks, int maxLength, int rank, int samples, int batch) {
        PretrainedBert.Base base;
        try {
            base = PretrainedBert.MINILM_L6.load(DataType.FLOAT);
        } catch (java.io.IOException | org.fedlodrop.models.family.bert.OnnxFormatException e) {
            throw new IllegalStateException("the built-in model cannot be read: " + e.getMessage(), e);
        }
        TransformerClassifier.Shape shape = base.shape(blocks, maxLength, 2);
        BertClassifier model = new BertClassifier(shape, base.weights().firstBlocks(blocks),
                EnumSet.of(TransformerClassifier.Projection.QUERY, TransformerClassifier.Projection.VALUE),
                BertClassifier.Pooling.MEAN, LoraLayer.scale(16, rank, false), DataType.FLOAT);
        SplittableRandom random = new SplittableRandom(1);
        double[][] ids = new double[samples][maxLength];
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            int length = maxLength / 2 + random.nextInt(maxLength / 2 + 1);
            for (int j = 0; j < length; j++) {
                ids[i][j] = 1000 + random.nextInt(shape.vocabulary() - 1000);
            }
            labels[i] = random.nextInt(2);
        }
        Dataset data = new Dataset(Nd4j.create(ids).castTo(DataType.FLOAT), labels);
        String description = String.format("bert d=%d, %d blocks, %d heads, ff %d, %d tokens", shape.width(),
                shape.blocks(), shape.heads(), shape.feedForward(), shape.maxLength());
        return new Job(key, name, description, rank, batch, model, model.initialAdapter(rank, random), masks(model, random), data,
                shape.trainingFlopsPerSample());
    }

    /**
     * The sizes of a job, which train_bench_torch.py must build the same under the same key
     * ({@code PyTorchTrainBenchTest} reads its tables against these): an MLP's widths, or an encoder's
     * vocabulary, tokens, width, blocks, heads and feed-forward width (pretrained: the built-in MiniLM's first
     * blocks); LoRA's rank, the samples and the batch.
     */
    public record JobSize(List<Integer> widths, int vocabulary, int tokens, int width, int blocks, int heads, int feedForward,
                   int rank, int samples, int batch, boolean pretrained) {
        public static JobSize mlp(List<Integer> widths, int samples, int batch) {
            return new JobSize(widths, 0, 0, 0, 0, 0, 0, 8, samples, batch, false);
        }

        public static JobSize encoder(int vocabulary, int tokens, int width, int blocks, int heads, int feedForward, int rank,
                               int samples, int batch, boolean pretrained) {
            return new JobSize(List.of(), vocabulary, tokens, width, blocks, heads, feedForward, rank, samples, batch,
                    pretrained);
        }
    }

    public static JobSize size(String key) {
        return switch (key) {
            case "synthetic" -> JobSize.mlp(List.of(32, 64, 64), 20, 10);
            case "mlp128" -> JobSize.mlp(List.of(128, 128, 128, 128), 256, 32);
            case "mlp512" -> JobSize.mlp(List.of(512, 512, 512, 512), 256, 64);
            case "text" -> JobSize.encoder(89, 16, 32, 2, 4, 64, 4, 20, 10, false);
            case "transformer512" -> JobSize.encoder(1000, 64, 512, 2, 8, 2048, 8, 32, 16, false);
            case "minilm" -> JobSize.encoder(30522, 64, 384, 6, 12, 1536, 8, 32, 16, true);
            case "minilm128" -> JobSize.encoder(30522, 128, 384, 6, 12, 1536, 8, 32, 8, true);
            default -> throw new IllegalArgumentException("no job " + key);
        };
    }

    /** The job of a key (JOB_KEYS), of its {@link #size}. */
    public static Job job(String key) {
        JobSize z = size(key);
        String name = switch (key) {
            case "synthetic" -> "synthetic (scenarios/synthetic.yaml)";
            case "mlp128" -> "128-wide MLP";
            case "mlp512" -> "512-wide MLP";
            case "text" -> "text (scenarios/text.yaml)";
            case "transformer512" -> "512-wide transformer";
            case "minilm" -> "MiniLM-L6 (all 6 blocks, 64 tokens)";
            case "minilm128" -> "MiniLM-L6 (scenarios/spam.yaml: all 6 blocks, 128 tokens)";
            default -> throw new IllegalArgumentException("no job " + key);
        };
        if (!z.widths().isEmpty()) {
            return mlp(key, name, z.widths().stream().mapToInt(Integer::intValue).toArray(), z.rank(), z.samples(), z.batch());
        }
        if (z.pretrained()) {
            return miniLm(key, name, z.blocks(), z.tokens(), z.rank(), z.samples(), z.batch());
        }
        return transformer(key, name, new TransformerClassifier.Shape(z.vocabulary(), z.tokens(), z.width(), z.blocks(),
                z.heads(), z.feedForward(), 2), z.rank(), z.samples(), z.batch());
    }

    private static List<LoraMask> masks(Classifier model, SplittableRandom random) {
        List<LoraMask> masks = new java.util.ArrayList<>();
        for (LoraLayer layer : model.layers()) {
            masks.add(LoraMask.draw(MaskMode.EXACT, layer.rows(), layer.columns(), 0.3, random));
        }
        return masks;
    }
}
