package org.fedlodrop.models.text;

import java.util.List;

/**
 * Texts and their labels as read from a file, in file order; {@code lines} gives each example's line,
 * {@code groups} the group each came from (a mailbox, a speaker), or "" where the file names none.
 */
public record LabelledText(List<String> texts, List<String> labels, int[] lines, List<String> groups) {
    public LabelledText {
        texts = List.copyOf(texts);
        labels = List.copyOf(labels);
        lines = lines.clone();
        groups = List.copyOf(groups);
        if (texts.size() != labels.size() || texts.size() != lines.length || texts.size() != groups.size()) {
            throw new IllegalArgumentException("texts, labels, lines and groups disagree in number");
        }
    }

    /** Texts without groups. */
    public LabelledText(List<String> texts, List<String> labels, int[] lines) {
        this(texts, labels, lines, java.util.Collections.nCopies(texts.size(), ""));
    }

    /** Whether any example names its group. */
    public boolean hasGroups() {
        return groups.stream().anyMatch(group -> !group.isEmpty());
    }

    /** The examples at these positions, in this order. */
    public LabelledText select(int[] indices) {
        List<String> t = new java.util.ArrayList<>();
        List<String> l = new java.util.ArrayList<>();
        List<String> g = new java.util.ArrayList<>();
        int[] n = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            t.add(texts.get(indices[i]));
            l.add(labels.get(indices[i]));
            g.add(groups.get(indices[i]));
            n[i] = lines[indices[i]];
        }
        return new LabelledText(t, l, n, g);
    }

    public int size() {
        return texts.size();
    }
}
