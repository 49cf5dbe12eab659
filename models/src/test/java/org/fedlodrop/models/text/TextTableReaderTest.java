package org.fedlodrop.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GLUE layouts, the tokenizer and the labels, and located errors for bad files. */
class TextTableReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsSst2TsvWithHeaderAndUnquotedQuotes() throws Exception {
        Path file = write("train.tsv", "sentence\tlabel\nit 's a \"charming\" film \t1\n\nthe plot is dull\t0\n");
        LabelledText text = TextTableReader.read(file, new TextTableReader.Columns("sentence", "label", true));
        assertThat(text.texts()).containsExactly("it 's a \"charming\" film ", "the plot is dull");
        assertThat(text.labels()).containsExactly("1", "0");
        assertThat(text.lines()).containsExactly(2, 4);
    }

    @Test
    void readsColaTsvWithoutHeaderByColumnNumber() throws Exception {
        Path file = write("in_domain_train.tsv", "gj04\t1\t\tOur friends won't buy this analysis.\nclc95\t0\t*\tThey drank the pub.\n");
        LabelledText text = TextTableReader.read(file, new TextTableReader.Columns("3", "1", false));
        assertThat(text.texts()).containsExactly("Our friends won't buy this analysis.", "They drank the pub.");
        assertThat(text.labels()).containsExactly("1", "0");
    }

    @Test
    void readsQuotedCsvAndJsonLines() throws Exception {
        Path csv = write("data.csv", "label,text\npositive,\"good, really good\"\nnegative,bad\n");
        LabelledText fromCsv = TextTableReader.read(csv, new TextTableReader.Columns("text", "label", true));
        assertThat(fromCsv.texts()).containsExactly("good, really good", "bad");
        assertThat(LabelSet.of(fromCsv.labels()).names()).containsExactly("negative", "positive");
        Path jsonl = write("data.jsonl", "{\"sentence\": \"fine\", \"label\": 1}\n\n{\"sentence\": \"awful\", \"label\": 0}\n");
        LabelledText fromJson = TextTableReader.read(jsonl, new TextTableReader.Columns("sentence", "label", true));
        assertThat(fromJson.texts()).containsExactly("fine", "awful");
        assertThat(fromJson.lines()).containsExactly(1, 3);
    }

    @Test
    void badFilesNameTheFileTheLineAndWhatWasExpected() throws Exception {
        TextTableReader.Columns columns = new TextTableReader.Columns("sentence", "label", true);
        Path shortRow = write("short.tsv", "sentence\tlabel\ngood\t1\nno label here\n");
        assertThatThrownBy(() -> TextTableReader.read(shortRow, columns))
                .hasMessage(shortRow + ":3: expected at least 2 tab-separated fields, got 1");
        Path noColumn = write("nocol.tsv", "text\tlabel\ngood\t1\n");
        assertThatThrownBy(() -> TextTableReader.read(noColumn, columns))
                .hasMessageContaining(noColumn + ":1: no text column \"sentence\" in the header; columns are text, label");
        Path badJson = write("bad.jsonl", "{\"sentence\": \"ok\", \"label\": 1}\n{\"sentence\": 3, \"label\": 1}\n");
        assertThatThrownBy(() -> TextTableReader.read(badJson, columns))
                .hasMessage(badJson + ":2: expected a string field \"sentence\"");
        Path other = write("data.txt", "x");
        assertThatThrownBy(() -> TextTableReader.read(other, columns)).hasMessageContaining("expected a .tsv, .csv or .jsonl");
        assertThatThrownBy(() -> TextTableReader.read(dir.resolve("missing.tsv"), columns))
                .hasMessageContaining("missing.tsv: cannot read the file");
        Path empty = write("empty.tsv", "sentence\tlabel\n");
        assertThatThrownBy(() -> TextTableReader.read(empty, columns)).hasMessageContaining("no examples");
    }

    @Test
    void vocabularyIsByFrequencyThenAlphabeticalAndEncodesWithPaddingAndUnknowns() {
        Vocabulary vocabulary = Vocabulary.build(List.of("The film, the FILM!", "a film", "zebra"), 5, 1);
        assertThat(vocabulary.tokens()).containsExactly("[PAD]", "[UNK]", "film", "the", "!");
        assertThat(vocabulary.encode("the film was great", 6)).containsExactly(3, 2, 1, 1, 0, 0);
        assertThat(vocabulary.encode("", 3)).containsExactly(1, 0, 0);
        assertThat(Vocabulary.split("It's not bad.")).containsExactly("it's", "not", "bad", ".");
        assertThat(Vocabulary.of(vocabulary.tokens()).encode("film the", 2)).containsExactly(2, 3);
    }

    @Test
    void syntheticReviewsAreBalancedAndReadBackFromTheirTsv() throws Exception {
        LabelledText text = new SyntheticReviews("movies", 0).generate(2000, new SplittableRandom(1));
        long positive = text.labels().stream().filter("1"::equals).count();
        assertThat(positive).isBetween(850L, 1150L);
        // Negation flips: "did not love" is negative, "did not hate" positive, without label noise;
        // counted, so that the check fails if the generator stops writing negations at all.
        int notLove = 0;
        int notHate = 0;
        for (int i = 0; i < text.size(); i++) {
            String s = text.texts().get(i);
            if (s.contains("i did not love")) {
                assertThat(text.labels().get(i)).isEqualTo("0");
                notLove++;
            }
            if (s.contains("i did not hate")) {
                assertThat(text.labels().get(i)).isEqualTo("1");
                notHate++;
            }
        }
        assertThat(notLove).as("reviews with 'i did not love'").isGreaterThan(5);
        assertThat(notHate).as("reviews with 'i did not hate'").isGreaterThan(5);
        Path file = write("reviews.tsv", SyntheticReviews.toTsv(text));
        LabelledText back = TextTableReader.read(file, new TextTableReader.Columns("sentence", "label", true));
        assertThat(back.texts()).isEqualTo(text.texts());
        assertThat(back.labels()).isEqualTo(text.labels());
    }
}
