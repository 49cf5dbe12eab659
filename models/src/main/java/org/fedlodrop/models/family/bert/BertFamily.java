package org.fedlodrop.models.family.bert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fedlodrop.api.SettingChecks;
import org.fedlodrop.api.SettingProblem;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.family.FamilyInputException;
import org.fedlodrop.models.family.ModelFamily;
import org.fedlodrop.models.family.transformer.AdaptedProjection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code bert} family: a pretrained BERT encoder (the built-in MiniLM by name, or an ONNX export of a
 * HuggingFace BertModel with its tokenizer.json), its first {@code model.layers} blocks, LoRA on the
 * {@code model.adapted} projections, a fresh head, texts through the model's own WordPiece tokenizer
 * (docs/models.md).
 */
public final class BertFamily implements ModelFamily<BertFamily.Settings> {
    /**
     * @param checkpoint a built-in model's name ({@code minilm-l6}, the default when empty) or the path of an .onnx
     *                   export, relative to the scenario
     * @param tokenizer  an ONNX export's tokenizer.json (a built-in model brings its own)
     * @param heads      an ONNX export's attention heads (a built-in model knows its own)
     * @param adapted    the projections that carry LoRA
     * @param layers     the first blocks kept, 0 for all
     * @param maxLength  WordPiece tokens per text, [CLS] and [SEP] included
     * @param pooling    how the sentence is taken from the last hidden states
     * @param truncation which tokens a longer text keeps
     */
    public record Settings(String checkpoint, String tokenizer, int heads, List<AdaptedProjection> adapted, int layers,
                           int maxLength, SentencePooling pooling, WordPieceEncoder.Truncation truncation) {
        public Settings {
            adapted = List.copyOf(adapted);
        }
    }

    @Override
    public String type() {
        return "bert";
    }

    @Override
    public String summary() {
        return "a pretrained BERT encoder (built-in minilm-l6, or an ONNX export) with its WordPiece tokenizer, for"
                + " text classification";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Settings defaultSettings() {
        return new Settings("", "", 12, List.of(AdaptedProjection.QUERY, AdaptedProjection.VALUE), 0, 128,
                SentencePooling.MEAN, WordPieceEncoder.Truncation.HEAD);
    }

    @Override
    public List<SettingProblem> check(Settings s) {
        SettingChecks c = new SettingChecks()
                .between("heads", s.heads(), 1, 256)
                .between("layers", s.layers(), 0, 64)
                .between("max_length", s.maxLength(), 2, 512);
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
        String name = settings.checkpoint().isBlank() ? BertCheckpoint.DEFAULT : settings.checkpoint();
        boolean builtIn = PretrainedBert.find(name).isPresent();
        Optional<Path> file = builtIn ? Optional.empty() : Optional.of(folder.resolve(name).normalize());
        Optional<Path> tokenizer = settings.tokenizer().isBlank() ? Optional.empty()
                : Optional.of(folder.resolve(settings.tokenizer()).normalize());
        BertCheckpoint checkpoint = BertCheckpoint.read(name, file, tokenizer, settings.heads());
        PretrainedBert.Base bert = checkpoint.base();
        List<FamilyInputException.Problem> problems = new ArrayList<>();
        if (settings.layers() > bert.blocks()) {
            problems.add(new FamilyInputException.Problem("", 0, "layers", "expected 0 (all) to " + bert.blocks()
                    + ", the blocks of " + checkpoint.name() + ", got " + settings.layers()));
        }
        if (settings.maxLength() > bert.maxPositions()) {
            problems.add(new FamilyInputException.Problem("", 0, "max_length", "expected at most " + bert.maxPositions()
                    + ", the positions of " + checkpoint.name() + ", got " + settings.maxLength()));
        }
        if (!problems.isEmpty()) {
            throw new FamilyInputException(problems);
        }
        Settings resolved = new Settings(file.map(Path::toString).orElse(name), tokenizer.map(Path::toString).orElse(""),
                settings.heads(), settings.adapted(), settings.layers(), settings.maxLength(), settings.pooling(),
                settings.truncation());
        return new Loaded() {
            @Override
            public Record settings() {
                return resolved;
            }

            @Override
            public Optional<RankLimit> rankLimit() {
                return Optional.of(new RankLimit(bert.width(), "the transformer width"));
            }

            /** The encoder: a built-in model by name and its tokenizer, or the ONNX export's path and its tokenizer. */
            @Override
            public java.util.Map<String, byte[]> otherInputs() {
                return java.util.Map.of("model.checkpoint " + checkpoint.name() + " tokenizer.json", checkpoint.tokenizer());
            }

            @Override
            public TextModel text(LabelSet labels, LabelledText training, RandomGenerator random) {
                int blocks = settings.layers() == 0 ? bert.blocks() : settings.layers();
                TransformerClassifier.Shape shape = bert.shape(blocks, settings.maxLength(), labels.size());
                BertClassifier model = new BertClassifier(shape, bert.weights().firstBlocks(blocks),
                        AdaptedProjection.of(settings.adapted()), settings.pooling() == SentencePooling.CLS
                                ? BertClassifier.Pooling.CLS : BertClassifier.Pooling.MEAN,
                        LoraLayer.scale(lora.alpha(), lora.rank(), lora.rsLora()), DataType.FLOAT);
                Adapter initial = model.initialAdapter(lora.rank(), random);
                WordPieceEncoder encoder;
                try {
                    encoder = checkpoint.encoder(settings.maxLength(), settings.truncation());
                } catch (java.io.IOException e) {
                    // load opened this tokenizer already; reaching here is a bug.
                    throw new IllegalStateException(e.getMessage(), e);
                }
                return new TextModel(model, initial, new TextEncoder() {
                    @Override
                    public Dataset encode(LabelledText text, Path source) throws TextFileException {
                        int[] classes = new int[text.size()];
                        for (int i = 0; i < text.size(); i++) {
                            classes[i] = labels.indexOf(text.labels().get(i));
                            if (classes[i] < 0) {
                                throw new TextFileException(source, text.lines()[i], "label \"" + text.labels().get(i)
                                        + "\" is not among the training labels " + labels.names());
                            }
                        }
                        return new Dataset(Nd4j.create(encoder.encode(text.texts())).castTo(DataType.FLOAT), classes);
                    }

                    @Override
                    public void close() {
                        encoder.close();
                    }
                });
            }
        };
    }
}
