package org.fedlodrop.models.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BagOfWordsClassifierTest {
    private static final List<String> SPAM_WORDS = List.of("cheap", "pills", "winner", "prize", "offer", "viagra");
    private static final List<String> HAM_WORDS = List.of("meeting", "agenda", "minutes", "review", "lunch", "patch");
    private static final List<String> SHARED = List.of("the", "a", "today", "please", "you", "we");

    /** Texts of six shared words and two class words each, labels alternating. */
    private static List<String[]> corpus(int n, long seed) {
        Random random = new Random(seed);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean spam = i % 2 == 0;
            List<String> words = spam ? SPAM_WORDS : HAM_WORDS;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 6; w++) {
                text.append(SHARED.get(random.nextInt(SHARED.size()))).append(w % 2 == 0 ? ", " : " ");
            }
            text.append(words.get(random.nextInt(words.size()))).append(". ").append(words.get(random.nextInt(words.size())).toUpperCase());
            rows.add(new String[] {text.toString(), spam ? "spam" : "ham"});
        }
        return rows;
    }

    private static BagOfWordsClassifier fit(List<String[]> rows) {
        return new BagOfWordsClassifier(rows.stream().map(r -> r[0]).toList(), rows.stream().map(r -> r[1]).toList());
    }

    @Test
    void separatesClassesByTheirWordsWhateverTheCase() {
        BagOfWordsClassifier classifier = fit(corpus(40, 1));
        List<String[]> test = corpus(20, 2);
        BagOfWordsClassifier.Evaluation evaluation = classifier.evaluate(test.stream().map(r -> r[0]).toList(),
                test.stream().map(r -> r[1]).toList());
        assertThat(evaluation.accuracy()).isEqualTo(1.0);
        assertThat(evaluation.loss()).isLessThan(Math.log(2));
        // Words are lower-cased and split at punctuation: 18 distinct words, each a feature.
        assertThat(classifier.vocabularySize()).isEqualTo(18);
        Map<String, Double> p = classifier.probabilities("Cheap PRIZE for you");
        assertThat(p.get("spam") + p.get("ham")).isCloseTo(1.0, within(1e-12));
        assertThat(p.get("spam")).isGreaterThan(0.5);
    }

    @Test
    void theLossIsTheMeanCrossEntropyOfTheProbabilities() {
        BagOfWordsClassifier classifier = fit(corpus(40, 3));
        List<String> texts = List.of("lunch review today", "winner winner offer");
        List<String> labels = List.of("ham", "spam");
        double expected = -(Math.log(classifier.probabilities(texts.get(0)).get("ham"))
                + Math.log(classifier.probabilities(texts.get(1)).get("spam"))) / 2;
        assertThat(classifier.evaluate(texts, labels).loss()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aTextWithoutAKnownWordGetsTheMostFrequentLabelAtItsShare() {
        List<String[]> rows = new ArrayList<>(corpus(40, 4));
        rows.add(new String[] {"minutes of the review", "ham"});
        BagOfWordsClassifier classifier = fit(rows);
        assertThat(classifier.probabilities("zebra quantum")).isEqualTo(Map.of("ham", 21 / 41.0));
        assertThat(classifier.probabilities("")).isEqualTo(Map.of("ham", 21 / 41.0));
    }

    @Test
    void theSameTextsGiveTheSameModel() {
        List<String[]> rows = corpus(60, 5);
        List<String> probes = corpus(10, 6).stream().map(r -> r[0]).toList();
        BagOfWordsClassifier first = fit(rows);
        BagOfWordsClassifier second = fit(rows);
        for (String probe : probes) {
            assertThat(second.probabilities(probe)).isEqualTo(first.probabilities(probe));
        }
    }

    @Test
    void refusesEmptyOrMismatchedTraining() {
        assertThatThrownBy(() -> new BagOfWordsClassifier(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BagOfWordsClassifier(List.of("a"), List.of("x", "y")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BagOfWordsClassifier(List.of("!!", "?"), List.of("x", "y")))
                .hasMessageContaining("word");
    }
}
