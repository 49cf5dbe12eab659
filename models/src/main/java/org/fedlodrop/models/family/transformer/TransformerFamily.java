package org.fedlodrop.models.family.transformer;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fedlodrop.api.SettingChecks;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextEncoding;
import org.fedlodrop.models.text.Vocabulary;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code transformer} family: a small pre-norm transformer encoder classifier over word tokens, its base
 * random (of the shape {@code model.transformer} gives) or pretrained by {@code fedlodrop pretrain}
 * ({@code model.checkpoint}), LoRA on the {@code model.adapted} projections (docs/models.md).
 */
public final class TransformerFamily implements ModelFamily<TransformerFamily.Settings> {
    /**
     * @param checkpoint  a base from {@code fedlodrop pretrain} (a .safetensors path, relative to the scenario), or
     *                    empty for a random base of {@code transformer}'s shape
     * @param adapted     the projections that carry LoRA
     * @param transformer the shape of a random base (a checkpoint brings its own)
     */
    public record Settings(String checkpoint, List<AdaptedProjection> adapted, Shape transformer) {
        public Settings {
            adapted = List.copyOf(adapted);
        }
    }

    /** A random base's shape; {@code vocabulary}: the most word types kept from the training file. */
    public record Shape(int width, int blocks, int heads, int feedForward, int maxLength, int vocabulary) {
    }

    @Override
    public String type() {
        return "transformer";
    }

    @Override
    public String summary() {
        return "a small transformer encoder over word tokens, random or from fedlodrop pretrain, for text classification";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings("", List.of(AdaptedProjection.QUERY, AdaptedProjection.VALUE),
                new Shape(32, 2, 4, 64, 16, 2000));
    }

    @Override
    public List<SettingProblem> check(Settings s) {
        SettingChecks c = new SettingChecks();
        Shape t = s.transformer();
        c.between("transformer.width", t.width(), 1, 8192)
                .between("transformer.blocks", t.blocks(), 1, 64)
                .between("transformer.heads", t.heads(), 1, 256);
        if (t.heads() >= 1 && t.width() % t.heads() != 0) {
            c.fail("transformer.heads", "expected a divisor of model.transformer.width (" + t.width() + "), got "
                    + t.heads());
        }
        c.between("transformer.feed_forward", t.feedForward(), 1, 65_536)
                .between("transformer.max_length", t.maxLength(), 1, 4096)
                .between("transformer.vocabulary", t.vocabulary(), 3, 10_000_000);
        AdaptedProjection.check(c, s.adapted());
        return c.problems();
    }

    @Override
    public Set<Workload> workloads() {
        return Set.of(Workload.TEXT_CLASSIFICATION);
    }

    @Override
    public boolean denseTraining() {
        return true;
    }

    @Override
    public Loaded load(Settings settings, Lora lora, Workload workload, Path folder) throws FamilyInputException {
        Optional<Path> file = settings.checkpoint().isBlank() ? Optional.empty()
                : Optional.of(folder.resolve(settings.checkpoint()).normalize());
        Optional<PretrainedBase> base = file.isEmpty() ? Optional.empty() : Optional.of(BaseCheckpointReader.read(file.get()));
        Settings resolved = new Settings(file.map(Path::toString).orElse(""), settings.adapted(), settings.transformer());
        return new Loaded() {
            @Override
            public Record settings() {
                return resolved;
            }

            @Override
            public List<Path> dataFiles() {
                return file.stream().toList();
            }

            @Override
            public Optional<RankLimit> rankLimit() {
                int width = base.map(b -> b.shape().width()).orElse(settings.transformer().width());
                return Optional.of(new RankLimit(width, "the transformer width"));
            }

            /**
             * The base from the checkpoint (or a random one of the settings' shape), LoRA on the chosen projections,
             * a fresh head for the training file's labels; texts as word ids of the base's vocabulary (or one
             * built from the training file).
             */
            @Override
            public TextModel text(LabelSet labels, LabelledText training, RandomGenerator random) {
                Shape t = settings.transformer();
                Vocabulary vocabulary = base.map(PretrainedBase::vocabulary)
                        .orElseGet(() -> Vocabulary.build(training.texts(), t.vocabulary(), 1));
                TransformerClassifier.Shape shape = base.map(b -> new TransformerClassifier.Shape(b.shape().vocabulary(),
                                b.shape().maxLength(), b.shape().width(), b.shape().blocks(), b.shape().heads(),
                                b.shape().feedForward(), labels.size()))
                        .orElseGet(() -> new TransformerClassifier.Shape(vocabulary.size(), t.maxLength(), t.width(),
                                t.blocks(), t.heads(), t.feedForward(), labels.size()));
                TransformerClassifier.Weights weights = base.map(PretrainedBase::weights)
                        .orElseGet(() -> TransformerClassifier.Weights.random(shape, DataType.FLOAT, random));
                TransformerClassifier model = new TransformerClassifier(shape, weights,
                        AdaptedProjection.of(settings.adapted()), LoraLayer.scale(lora.alpha(), lora.rank(), lora.rsLora()),
                        DataType.FLOAT);
                Adapter initial = model.initialAdapter(lora.rank(), random);
                return new TextModel(model, initial, (text, source) ->
                        TextEncoding.encode(text, source, vocabulary, labels, shape.maxLength(), DataType.FLOAT));
            }
        };
    }
}
