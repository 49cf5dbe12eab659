package org.fedlodrop.models.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Class labels and their indices: numeric labels (GLUE's 0/1) in numeric order, other labels
 * alphabetically, so label "1" is class 1 whenever labels are 0..c−1.
 */
public record LabelSet(List<String> names) {
    public LabelSet {
        names = List.copyOf(names);
    }

    public static LabelSet of(Collection<String> labels) {
        boolean numeric = labels.stream().allMatch(l -> l.matches("-?\\d{1,9}"));
        Comparator<String> order = numeric ? Comparator.comparingInt(Integer::parseInt) : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(labels);
        return new LabelSet(new ArrayList<>(distinct));
    }

    public int size() {
        return names.size();
    }

    /** The class of a label, or −1 for a label this set does not have. */
    public int indexOf(String label) {
        return names.indexOf(label);
    }
}
