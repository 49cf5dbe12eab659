package org.fedlodrop.models.bert;

import ai.djl.huggingface.tokenizers.Encoding;
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
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private WordPieceEncoder(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /** @throws IOException if tokenizer.json cannot be read or is no tokenizer */
    public static WordPieceEncoder open(InputStream tokenizerJson, int maxLength) throws IOException {
        try {
            return new WordPieceEncoder(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "true", "padding", "false", "maxLength", Integer.toString(maxLength),
                    "modelMaxLength", Integer.toString(maxLength))), maxLength);
        } catch (RuntimeException e) {
            throw new IOException("not a readable tokenizer.json (" + e.getMessage() + ")", e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    /** Token ids with [CLS] and [SEP], truncated to maxLength, unpadded. */
    public long[] ids(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        return encoding.getIds();
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
