package org.fedlodrop.models.family.bert;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A BERT model's own tokenizer (its tokenizer.json, WordPiece with [CLS] and [SEP]) through DJL's
 * HuggingFace tokenizers, truncating to {@code maxLength} tokens and padding with [PAD] = 0.
 */
public final class WordPieceEncoder implements AutoCloseable {
    /** The most tokens a text is read to before {@link Truncation#HEAD_TAIL} keeps its ends (a long mail's tail). */
    private static final int WHOLE_TEXT = 1 << 20;

    /** Which tokens of a text longer than {@code maxLength} are kept. */
    public enum Truncation {
        /** The first maxLength − 2 (HuggingFace's default). */
        HEAD,
        /**
         * The first quarter of the maxLength − 2 and the last three quarters: Sun et al., "How to Fine-Tune BERT
         * for Text Classification?" (CCL 2019), §5.3.1, keep 128 head and 382 tail tokens of 510, the best of
         * their truncations on long reviews; a mail's signature, links and unsubscribe lines are at its end.
         */
        HEAD_TAIL
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final Truncation truncation;

    private WordPieceEncoder(HuggingFaceTokenizer tokenizer, int maxLength, Truncation truncation) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.truncation = truncation;
    }

    /** @throws IOException if tokenizer.json cannot be read or is no tokenizer */
    public static WordPieceEncoder open(InputStream tokenizerJson, int maxLength) throws IOException {
        return open(tokenizerJson, maxLength, Truncation.HEAD);
    }

    /** @throws IOException if tokenizer.json cannot be read or is no tokenizer */
    public static WordPieceEncoder open(InputStream tokenizerJson, int maxLength, Truncation truncation) throws IOException {
        int read = truncation == Truncation.HEAD ? maxLength : WHOLE_TEXT;
        try {
            return new WordPieceEncoder(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "true", "padding", "false", "maxLength", Integer.toString(read),
                    "modelMaxLength", Integer.toString(read))), maxLength, truncation);
        } catch (RuntimeException e) {
            throw new IOException("not a readable tokenizer.json (" + e.getMessage() + ")", e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    /** Token ids with [CLS] and [SEP], truncated to maxLength as {@link Truncation} says, unpadded. */
    public long[] ids(String text) {
        long[] ids = tokenizer.encode(text, true, false).getIds();
        if (truncation == Truncation.HEAD || ids.length <= maxLength) {
            return ids;
        }
        return headAndTail(ids, maxLength);
    }

    /** [CLS], the first quarter of the room, the last three quarters, [SEP]: maxLength ids of a longer sequence. */
    static long[] headAndTail(long[] ids, int maxLength) {
        int room = maxLength - 2;
        int head = room / 4;
        int tail = room - head;
        long[] kept = new long[maxLength];
        System.arraycopy(ids, 0, kept, 0, 1 + head);
        System.arraycopy(ids, ids.length - 1 - tail, kept, 1 + head, tail + 1);
        return kept;
    }

    /** One row per text: its ids, then [PAD] = 0 up to maxLength. */
    public double[][] encode(List<String> texts) {
        double[][] rows = new double[texts.size()][maxLength];
        for (int i = 0; i < texts.size(); i++) {
            long[] ids = ids(texts.get(i));
            for (int j = 0; j < Math.min(ids.length, maxLength); j++) {
                rows[i][j] = ids[j];
            }
        }
        return rows;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
