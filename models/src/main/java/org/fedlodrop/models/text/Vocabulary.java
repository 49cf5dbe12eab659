package org.fedlodrop.models.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level tokenizer built from the data: lower-cased words (letters, digits, inner apostrophes)
 * and single punctuation marks; the most frequent tokens that occur at least {@code minCount} times,
 * ties broken alphabetically so the vocabulary is the same on every machine. Id 0 is padding, id 1
 * stands for any unknown token. Saved with a checkpoint so fine-tuning sees the ids pretraining saw.
 */
public final class Vocabulary {
    public static final String PAD = "[PAD]";
    public static final String UNKNOWN = "[UNK]";
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?|[^\\s\\p{L}\\p{N}]");

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            ids.putIfAbsent(this.tokens.get(i), i);
        }
    }

    /** A vocabulary from saved tokens; the first two must be the padding and unknown tokens. */
    public static Vocabulary of(List<String> tokens) {
        if (tokens.size() < 2 || !tokens.get(0).equals(PAD) || !tokens.get(1).equals(UNKNOWN)) {
            throw new IllegalArgumentException("a vocabulary starts with " + PAD + " and " + UNKNOWN);
        }
        return new Vocabulary(tokens);
    }

    public static Vocabulary build(List<String> texts, int maxSize, int minCount) {
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String token : split(text)) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        List<String> list = new ArrayList<>(List.of(PAD, UNKNOWN));
        for (Map.Entry<String, Integer> entry : entries) {
            if (list.size() >= maxSize || entry.getValue() < minCount) {
                break;
            }
            list.add(entry.getKey());
        }
        return new Vocabulary(list);
    }

    public static List<String> split(String text) {
        List<String> list = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            list.add(m.group());
        }
        return list;
    }

    public List<String> tokens() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    /** Token ids of the first {@code length} tokens, padded with 0; an empty text becomes one unknown token. */
    public int[] encode(String text, int length) {
        int[] encoded = new int[length];
        List<String> split = split(text);
        if (split.isEmpty()) {
            encoded[0] = 1;
        }
        for (int i = 0; i < Math.min(length, split.size()); i++) {
            encoded[i] = ids.getOrDefault(split.get(i), 1);
        }
        return encoded;
    }
}
