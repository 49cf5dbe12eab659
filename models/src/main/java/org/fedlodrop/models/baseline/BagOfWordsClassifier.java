package org.fedlodrop.models.baseline;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.data.text.impl.TextFeatureExtractorImpl;
import org.tribuo.data.text.impl.TokenPipeline;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.IDFTransformation;
import org.tribuo.util.tokens.impl.SplitPatternTokenizer;

/**
 * The bag-of-words reference a language model has to beat: lower-cased word unigrams weighted by TF-IDF
 * and an L2-regularised logistic regression, all from Oracle's Tribuo (Apache-2.0, deterministic, with the
 * provenance of every model; Smile, the other mature choice, is GPL-3.0 from version 3). The weighting is
 * Tribuo's {@link IDFTransformation}, (1 + ln tf) · ln(N / df) with N the training texts and df those
 * holding the word, learnt on the training texts only; the classifier is LIBLINEAR's primal L2R_LR solver
 * with C = 1 (scikit-learn's {@code LogisticRegression} default), fitted on the texts in the order given.
 */
public final class BagOfWordsClassifier {
    /** Word characters: letters and digits; everything else separates words. */
    private static final String SEPARATORS = "[^\\p{L}\\p{N}]+";
    /** Where the model's provenance says its data came from; a fixed time keeps it the same bytes every run. */
    private static final OffsetDateTime PROVENANCE_TIME = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    /** LIBLINEAR's defaults for L2R_LR: C = 1, stopping tolerance 0.01, at most 1000 iterations. */
    private static final double COST = 1;
    private static final int MAX_ITERATIONS = 1000;
    private static final double EPSILON = 0.01;

    private final LabelFactory factory = new LabelFactory();
    private final TextFeatureExtractorImpl<Label> extractor =
            new TextFeatureExtractorImpl<>(new TokenPipeline(new SplitPatternTokenizer(SEPARATORS), 1, true));
    private final Model<Label> model;
    private final Label fallback;
    private final double fallbackProbability;

    /** How the classifier does on a set of texts: mean cross-entropy (natural log) and accuracy. */
    public record Evaluation(double loss, double accuracy) {
    }

    /**
     * Fits the features and the classifier to these texts and labels (in this order: LIBLINEAR's coordinate
     * order follows it, so the same texts give the same model).
     */
    public BagOfWordsClassifier(List<String> texts, List<String> labels) {
        if (texts.size() != labels.size() || texts.isEmpty()) {
            throw new IllegalArgumentException("expected as many labels as texts, and at least one text");
        }
        MutableDataset<Label> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("fedlodrop devices' training texts", PROVENANCE_TIME, factory), factory);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            Example<Label> example = example(texts.get(i), labels.get(i));
            if (example.size() > 0) {
                data.add(example);
            }
            counts.merge(labels.get(i), 1, Integer::sum);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("none of the training texts holds a word");
        }
        // The most frequent label (the first in sort order on a tie) for a text without a known word.
        String common = counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).findFirst().orElseThrow().getKey();
        fallback = factory.generateOutput(common);
        fallbackProbability = counts.get(common) / (double) texts.size();
        LibLinearClassificationTrainer classifier = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), COST, MAX_ITERATIONS, EPSILON);
        // Implicit zeros counted, so that N is every training text and not only those holding the word.
        model = new TransformTrainer<>(classifier, new TransformationMap(List.of(new IDFTransformation())), false, true)
                .train(data);
    }

    /** The words of the fitted vocabulary. */
    public int vocabularySize() {
        return model.getFeatureIDMap().size();
    }

    /**
     * The probability of every label for a text; a text with no word of the vocabulary gets the training set's
     * most frequent label with its share as probability.
     */
    public Map<String, Double> probabilities(String text) {
        Example<Label> example = example(text, fallback.getLabel());
        Map<String, Double> scores = new HashMap<>();
        if (!knowsAWordOf(example)) {
            scores.put(fallback.getLabel(), fallbackProbability);
            return scores;
        }
        Prediction<Label> prediction = model.predict(example);
        prediction.getOutputScores().forEach((name, label) -> scores.put(name, label.getScore()));
        return scores;
    }

    /** Mean cross-entropy and accuracy on these texts (the most probable label, the first in sort order on a tie). */
    public Evaluation evaluate(List<String> texts, List<String> labels) {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Double> p = probabilities(texts.get(i));
            String predicted = p.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey())).findFirst().orElseThrow().getKey();
            if (predicted.equals(labels.get(i))) {
                correct++;
            }
            // A probability of 0 would give an infinite loss; LIBLINEAR's logistic never reaches it.
            loss -= Math.log(Math.max(p.getOrDefault(labels.get(i), 0.0), 1e-300));
        }
        return new Evaluation(loss / texts.size(), correct / (double) texts.size());
    }

    private Example<Label> example(String text, String label) {
        return extractor.extract(factory.generateOutput(label), text.toLowerCase(Locale.ROOT));
    }

    private boolean knowsAWordOf(Example<Label> example) {
        ImmutableFeatureMap features = model.getFeatureIDMap();
        for (Feature feature : example) {
            if (features.get(feature.getName()) != null) {
                return true;
            }
        }
        return false;
    }
}
