package org.fedlodrop.models.family.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's uncased WordPiece written out from its definition (Devlin et al.'s BasicTokenizer and WordpieceTokenizer,
 * as HuggingFace's BertNormalizer, BertPreTokenizer and WordPiece model implement it), reading only the vocabulary
 * of a tokenizer.json: the independent reference the DJL-backed {@link WordPieceEncoder} is checked against.
 */
final class ReferenceWordPiece {
    private static final int MAX_WORD_CHARS = 100;
    private final Map<String, Integer> vocabulary = new HashMap<>();

    ReferenceWordPiece(InputStream tokenizerJson) throws IOException {
        JsonNode vocab = new ObjectMapper().readTree(tokenizerJson).get("model").get("vocab");
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            vocabulary.put(entry.getKey(), entry.getValue().asInt());
        }
    }

    /** [CLS], the text's word pieces (the first maxLength − 2), [SEP]. */
    long[] ids(String text, int maxLength) {
        List<Integer> ids = new ArrayList<>();
        ids.add(vocabulary.get("[CLS]"));
        for (String word : basicTokens(text)) {
            for (String piece : wordPieces(word)) {
                if (ids.size() < maxLength - 1) {
                    ids.add(vocabulary.get(piece));
                }
            }
        }
        ids.add(vocabulary.get("[SEP]"));
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }

    /** Clean, pad CJK, strip accents and lower-case, split on whitespace, then on every punctuation character. */
    static List<String> basicTokens(String text) {
        StringBuilder cleaned = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
            }
            if (isWhitespace(c)) {
                cleaned.append(' ');
            } else if (isCjk(c)) {
                cleaned.append(' ').appendCodePoint(c).append(' ');
            } else {
                cleaned.appendCodePoint(c);
            }
        });
        String stripped = Normalizer.normalize(cleaned, Normalizer.Form.NFD).codePoints()
                .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                .toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        for (String word : stripped.split(" ")) {
            StringBuilder current = new StringBuilder();
            word.codePoints().forEach(c -> {
                if (isPunctuation(c)) {
                    if (current.length() > 0) {
                        tokens.add(current.toString());
                        current.setLength(0);
                    }
                    tokens.add(new String(Character.toChars(c)));
                } else {
                    current.appendCodePoint(c);
                }
            });
            if (current.length() > 0) {
                tokens.add(current.toString());
            }
        }
        return tokens;
    }

    /** Greedy longest match first, continuations prefixed with ##; a word with an unmatched rest is [UNK]. */
    List<String> wordPieces(String word) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            return List.of("[UNK]");
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            String match = null;
            while (end > start) {
                String candidate = (start > 0 ? "##" : "") + word.substring(start, end);
                if (vocabulary.containsKey(candidate)) {
                    match = candidate;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (match == null) {
                return List.of("[UNK]");
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
