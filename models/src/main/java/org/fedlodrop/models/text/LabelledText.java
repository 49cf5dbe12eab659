package org.fedlodrop.models.text;

import java.util.List;

/** Texts and their labels as read from a file, in file order; {@code lines} gives each example's line. */
public record LabelledText(List<String> texts, List<String> labels, int[] lines) {
    public LabelledText {
        texts = List.copyOf(texts);
        labels = List.copyOf(labels);
        lines = lines.clone();
        if (texts.size() != labels.size() || texts.size() != lines.length) {
            throw new IllegalArgumentException("texts, labels and lines disagree in number");
        }
    }

    public int size() {
        return texts.size();
    }
}
