package org.fedlodrop.models.text;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Short review-like sentences with a binary sentiment label, in GLUE SST-2's spirit, generated from a
 * small grammar so that a text-classification run needs no download. Sentiment comes from an
 * adjective or a verb, flipped by negation; in "X but Y" sentences the second clause decides, so a
 * bag of words is not enough and word order matters. Two domains (movies, restaurants) share the
 * sentiment words but not the nouns: pretrain on one, fine-tune on the other.
 *
 * @param domain     {@code movies} or {@code restaurants}
 * @param labelNoise probability that a label is flipped
 */
public record SyntheticReviews(String domain, double labelNoise) {
    private static final String[] POSITIVE = {"good", "great", "excellent", "wonderful", "delightful", "superb",
        "charming", "brilliant", "pleasant", "lovely", "solid", "fresh", "clever", "enjoyable", "memorable"};
    private static final String[] NEGATIVE = {"bad", "awful", "terrible", "dull", "boring", "poor", "bland", "weak",
        "tedious", "clumsy", "messy", "stale", "disappointing", "forgettable", "painful"};
    private static final String[] INTENSIFIERS = {"", "", "very", "really", "quite", "truly", "rather", "so", "extremely"};
    private static final String[] FILLERS = {"", "", "", "i think", "honestly ,", "overall", "to be fair ,",
        "in my view", "as expected", "sadly", "luckily", "frankly"};
    private static final String[] MOVIES = {"film", "movie", "plot", "acting", "script", "cast", "ending",
        "soundtrack", "director", "story", "dialogue", "pacing"};
    private static final String[] RESTAURANTS = {"food", "service", "pasta", "soup", "staff", "dessert", "menu",
        "wine", "coffee", "bread", "waiter", "pizza"};

    public SyntheticReviews {
        if (!domain.equals("movies") && !domain.equals("restaurants")) {
            throw new IllegalArgumentException("domain is movies or restaurants, got " + domain);
        }
    }

    /** n examples; labels are "1" (positive) and "0" (negative). */
    public LabelledText generate(int n, RandomGenerator random) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int[] lines = new int[n];
        String[] nouns = domain.equals("movies") ? MOVIES : RESTAURANTS;
        for (int i = 0; i < n; i++) {
            StringBuilder sentence = new StringBuilder();
            append(sentence, pick(FILLERS, random));
            boolean positive;
            int template = random.nextInt(3);
            if (template == 0) {
                positive = clause(sentence, nouns, random);
            } else if (template == 1) {
                clause(sentence, nouns, random);
                append(sentence, "but");
                positive = clause(sentence, nouns, random);
            } else {
                boolean love = random.nextBoolean();
                boolean negated = random.nextDouble() < 0.35;
                append(sentence, "i");
                append(sentence, negated ? "did not" : "");
                append(sentence, love ? (negated ? "love" : "loved") : (negated ? "hate" : "hated"));
                append(sentence, "the " + pick(nouns, random));
                positive = love != negated;
            }
            if (random.nextDouble() < labelNoise) {
                positive = !positive;
            }
            texts.add(sentence.toString());
            labels.add(positive ? "1" : "0");
            lines[i] = i + 2; // as in a TSV file with a header
        }
        return new LabelledText(texts, labels, lines);
    }

    /** "the N was [not] [I] ADJ"; returns whether it reads positive. */
    private static boolean clause(StringBuilder sentence, String[] nouns, RandomGenerator random) {
        boolean positiveWord = random.nextBoolean();
        boolean negated = random.nextDouble() < 0.3;
        append(sentence, "the " + pick(nouns, random) + (random.nextBoolean() ? " was" : " is"));
        append(sentence, negated ? "not" : "");
        append(sentence, pick(INTENSIFIERS, random));
        append(sentence, pick(positiveWord ? POSITIVE : NEGATIVE, random));
        return positiveWord != negated;
    }

    private static void append(StringBuilder sentence, String words) {
        if (!words.isEmpty()) {
            if (sentence.length() > 0) {
                sentence.append(' ');
            }
            sentence.append(words);
        }
    }

    private static String pick(String[] words, RandomGenerator random) {
        return words[random.nextInt(words.length)];
    }

    /** The examples as a GLUE SST-2 style TSV: a {@code sentence<TAB>label} header, then one per line. */
    public static String toTsv(LabelledText text) {
        StringBuilder out = new StringBuilder("sentence\tlabel\n");
        for (int i = 0; i < text.size(); i++) {
            out.append(text.texts().get(i)).append('\t').append(text.labels().get(i)).append('\n');
        }
        return out.toString();
    }
}
